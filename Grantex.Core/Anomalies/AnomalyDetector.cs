using System.Collections.Concurrent;
using System.Threading.Channels;
using Grantex.Core.Common;
using Grantex.Core.Events;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Anomalies;

/// <summary>
/// Runs detection in the background, after the events that feed it. The bus handler only marks the developer and
/// wakes the loop (it runs on the writer's thread), so issuance never waits for detection. A burst is coalesced: the
/// loop waits <see cref="AnomalyOptions.Coalesce"/>, then runs one pass per marked developer; events arriving during a
/// pass mark the developer again for exactly one more. Entries that emit no event (a developer's own
/// <c>POST /v1/audit/log</c>) are found by polling the audit log's position every <see cref="AnomalyOptions.AuditPollInterval"/>.
/// </summary>
public sealed partial class AnomalyDetector(
    EventBus bus,
    AnomalyService anomalies,
    IDbContextFactory<GrantexDbContext> factory,
    IDatabaseProvider database,
    IOptions<AnomalyOptions> options,
    TimeProvider time,
    ILogger<AnomalyDetector> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long _passes;
    private long _auditSeq;

    /// <summary>Passes completed since start (tests and diagnostics).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>Asks for a background pass for the developer (coalesced with any other request before it runs).</summary>
    public void Request(string developerId)
    {
        _pending.TryAdd(developerId, 0);
        _wake.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundDetection)
        {
            return;
        }

        bus.Published += OnPublished;
        try
        {
            // The catch-up starts once the host has started (it reads the audit log from the stored position).
            await HostStarted.WaitAsync(lifetime, stoppingToken);

            // Several nodes: one detects (it holds a cluster-wide lock while it runs); the others wait to take over.
            while (!await database.RunAloneAsync("anomaly-detector", async ct =>
            {
                _auditSeq = await CatchUpAsync(ct);
                var poll = options.Value.AuditPollInterval > TimeSpan.Zero ? PollAuditAsync(ct) : Task.CompletedTask;
                await RunAsync(ct);
                await poll;
            }, stoppingToken))
            {
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            bus.Published -= OnPublished;
        }
    }

    private void OnPublished(GrantexEvent committed)
    {
        // The detector's own events never trigger another pass.
        if (committed.Type is not (EventTypes.AnomalyDetected or EventTypes.AnomalyAutoRevoked))
        {
            Request(committed.DeveloperId);
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (await _wake.Reader.WaitToReadAsync(stoppingToken))
        {
            _wake.Reader.TryRead(out _);
            if (options.Value.Coalesce > TimeSpan.Zero)
            {
                await Task.Delay(options.Value.Coalesce, time, stoppingToken);
            }

            foreach (var developerId in _pending.Keys)
            {
                _pending.TryRemove(developerId, out _);
                try
                {
                    var result = await anomalies.DetectAsync(developerId, stoppingToken);
                    if (result.Created > 0 || result.AutoRevokedGrants > 0)
                    {
                        LogDetected(logger, result.Created, developerId, result.AutoRevokedGrants);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    LogFailed(logger, ex, developerId);
                }
            }

            Interlocked.Increment(ref _passes);
        }
    }

    /// <summary>At start: a pass for every developer with audit activity in the last day (what a restart may have missed).</summary>
    private async Task<long> CatchUpAsync(CancellationToken stoppingToken)
    {
        await using var db = await factory.CreateDbContextAsync(stoppingToken);
        var since = time.GetUtcNow().UtcDateTime.AddDays(-1);
        var developers = await db.AuditEntries.AsNoTracking().Where(e => e.Timestamp > since && e.AgentId != "")
            .Select(e => e.DeveloperId).Distinct().ToListAsync(stoppingToken);
        foreach (var developerId in developers)
        {
            Request(developerId);
        }

        return await db.AuditEntries.AsNoTracking().MaxAsync(e => (long?)e.Sequence, stoppingToken) ?? 0;
    }

    private async Task PollAuditAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AuditPollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(stoppingToken);
                var after = _auditSeq;
                var grown = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence > after && e.AgentId != "")
                    .GroupBy(e => e.DeveloperId).Select(g => new { DeveloperId = g.Key, Last = g.Max(e => e.Sequence) })
                    .ToListAsync(stoppingToken);
                foreach (var developer in grown)
                {
                    _auditSeq = Math.Max(_auditSeq, developer.Last);
                    Request(developer.DeveloperId);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                LogPollFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Anomaly detection recorded {Count} new anomalies for {DeveloperId}; {Revoked} grants revoked automatically")]
    private static partial void LogDetected(ILogger logger, int count, string developerId, int revoked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Anomaly detection failed for {DeveloperId}; the next event retries it")]
    private static partial void LogFailed(ILogger logger, Exception ex, string developerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the audit log for anomaly detection failed; it will run again")]
    private static partial void LogPollFailed(ILogger logger, Exception ex);
}
