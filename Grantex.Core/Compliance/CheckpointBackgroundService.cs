using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Compliance;

/// <summary>
/// Once the host has started and then every <see cref="ComplianceOptions.CheckpointInterval"/>, signs a checkpoint for every
/// developer whose chain grew since its last one.
/// </summary>
public sealed partial class CheckpointBackgroundService(
    CheckpointService checkpoints,
    IDatabaseProvider database,
    TimeProvider time,
    IOptions<ComplianceOptions> options,
    ILogger<CheckpointBackgroundService> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.CheckpointInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        await HostStarted.WaitAsync(lifetime, stoppingToken);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                // Several nodes: one signs at a time; the next finds the chains it signed no longer grown.
                await database.RunAloneAsync("checkpoints", async ct =>
                {
                    var created = await checkpoints.CreateForGrownChainsAsync(ct);
                    if (created > 0)
                    {
                        LogCreated(logger, created);
                    }
                }, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed {Count} audit chain checkpoints")]
    private static partial void LogCreated(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing audit chain checkpoints failed; it will run again")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
