using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Keys;

/// <summary>
/// Every 30 seconds: picks up keys rotated by another process (the CLI), rotates the signing key when it is older
/// than the configured interval, and retires rotated keys whose tokens have all expired. With several nodes every
/// node reloads, and rotation and retirement run on one node at a time (a cluster-wide advisory lock).
/// </summary>
public sealed partial class MaintenanceService(
    SigningKeyStore keys,
    IDatabaseProvider database,
    TimeProvider time,
    IOptions<GrantexOptions> options,
    ILogger<MaintenanceService> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await keys.ReloadAsync(stoppingToken);

                // Several nodes: one rotates and retires at a time (the others hear of it and reload).
                await database.RunAloneAsync("signing-keys", async ct =>
                {
                    await keys.ReloadAsync(ct);
                    var interval = options.Value.SigningKeyRotationInterval;
                    if (interval > TimeSpan.Zero && keys.CurrentCreatedAt is { } created && time.UtcNowMillis() - created > interval)
                    {
                        var key = await keys.RotateAsync(ct);
                        LogRotated(logger, key.Id);
                    }

                    await keys.RetireExpiredAsync(Period * 4, ct);
                }, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key rotated on schedule; the new kid is {Kid}")]
    private static partial void LogRotated(ILogger logger, string kid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing key maintenance failed; it will run again")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
