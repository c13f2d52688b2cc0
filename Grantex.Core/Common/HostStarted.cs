using Microsoft.Extensions.Hosting;

namespace Grantex.Core.Common;

/// <summary>
/// Lets a background service begin its first run only once the host has started (every hosted service started and the
/// server listening), so that run's queries — and their JIT and query compilation — come after start-up instead of
/// competing with it for the CPU (issue #14, docs/decisions/start-up-and-warm-up.md). What the service guarantees does
/// not change: the work it would have done at once runs moments later, from the same committed rows. Without a host
/// (a plain service collection) it goes on at once.
/// </summary>
public static class HostStarted
{
    public static async Task WaitAsync(IHostApplicationLifetime? lifetime, CancellationToken stoppingToken)
    {
        if (lifetime is null || lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task;
        }
    }
}
