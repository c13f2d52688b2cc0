using Microsoft.Extensions.Hosting;

namespace Grantex.Core.Grants;

/// <summary>Every 30 seconds, drops revocation-index entries whose tokens have expired anyway (they fail verification on their own).</summary>
public sealed class RevocationIndexPruner(RevocationIndex index, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            index.Prune();
        }
    }
}
