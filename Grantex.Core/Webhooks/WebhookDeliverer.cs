using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Grantex.Core.Common;
using Grantex.Core.Events;
using Grantex.Core.Persistence;
using Grantex.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Webhooks;

/// <summary>
/// The background deliverer. Woken by every committed event (<see cref="EventBus.Published"/>), by redeliveries and
/// tests, and by a periodic sweep for due retries, it (1) fans new events out to delivery rows, (2) leases due rows
/// up to the free slots — overall and per webhook, so a hanging receiver holds at most its own slots — (3) sends each
/// one, and (4) records every attempt in batches through the writer: delivered on 2xx, otherwise retried with
/// exponential backoff and jitter until <see cref="WebhookOptions.MaxAttempts"/>, then failed (dead letter).
/// A crash between lease and record leaves the lease to lapse, and the row is sent again (at-least-once).
/// </summary>
public sealed partial class WebhookDeliverer(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    WebhookFanout fanout,
    WebhookSender sender,
    WebhookSecrets secrets,
    WebhookSignal signal,
    EventBus events,
    IDatabaseProvider database,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    GrantexMetrics metrics,
    ILogger<WebhookDeliverer> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    private const int FlushBatch = 512;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perWebhook = new(StringComparer.Ordinal);
    private readonly Channel<Outcome> _outcomes = Channel.CreateUnbounded<Outcome>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, string> _secretCache = new(StringComparer.Ordinal);
    private readonly WebhookOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DeliveryEnabled)
        {
            return;
        }

        events.Published += OnPublished;
        var recorder = RecordLoopAsync(stoppingToken);
        try
        {
            // The first round (fan-out from the stored cursor, then due deliveries) runs once the host has started:
            // everything committed before, or during the wait, is found by it.
            await HostStarted.WaitAsync(lifetime, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // Several nodes: one fans out and leases at a time, so a delivery is leased by one node only;
                    // the sends themselves run concurrently on whichever nodes leased them.
                    await database.RunAloneAsync("webhooks", async ct =>
                    {
                        while (await fanout.RunOnceAsync(ct) > 0)
                        {
                        }

                        while (await ClaimAndSendAsync(ct) > 0)
                        {
                        }
                    }, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    LogRoundFailed(logger, ex);
                }

                await signal.WaitAsync(_options.SweepInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: leased rows come back when their lease lapses.
        }
        finally
        {
            events.Published -= OnPublished;
            _outcomes.Writer.TryComplete();
            await recorder;
        }
    }

    private void OnPublished(GrantexEvent _) => signal.Pulse();

    /// <summary>Leases what the free slots allow and starts sending; returns how many were started.</summary>
    private async Task<int> ClaimAndSendAsync(CancellationToken cancellationToken)
    {
        string[] inFlight;
        string[] saturated;
        Dictionary<string, int> free;
        int slots;
        lock (_gate)
        {
            slots = _options.MaxConcurrency - _inFlight.Count;
            inFlight = [.. _inFlight];
            saturated = [.. _perWebhook.Where(p => p.Value >= _options.MaxConcurrencyPerWebhook).Select(p => p.Key)];
            free = _perWebhook.ToDictionary(p => p.Key, p => _options.MaxConcurrencyPerWebhook - p.Value);
        }

        if (slots <= 0)
        {
            return 0;
        }

        var lease = _options.Lease;
        var claimed = await writes.ExecuteAsync(async ctx =>
        {
            var now = ctx.Now;
            var candidates = await ctx.Db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil <= now)
                    && !inFlight.Contains(d.Id) && !saturated.Contains(d.WebhookId))
                .OrderBy(d => d.NextAttemptAt).Select(d => new { d.Id, d.WebhookId }).Take(slots * 2).ToListAsync(cancellationToken);
            var picked = new List<(string Id, string WebhookId)>();
            foreach (var c in candidates)
            {
                var left = free.GetValueOrDefault(c.WebhookId, _options.MaxConcurrencyPerWebhook);
                if (left <= 0)
                {
                    continue;
                }

                free[c.WebhookId] = left - 1;
                picked.Add((c.Id, c.WebhookId));
                if (picked.Count == slots)
                {
                    break;
                }
            }

            if (picked.Count > 0)
            {
                var ids = picked.Select(p => p.Id).ToList();
                await ctx.Db.WebhookDeliveries.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, now + lease), cancellationToken);
            }

            return picked;
        }, cancellationToken);

        if (claimed.Count == 0)
        {
            return 0;
        }

        lock (_gate)
        {
            foreach (var (id, webhookId) in claimed)
            {
                _inFlight.Add(id);
                _perWebhook[webhookId] = _perWebhook.GetValueOrDefault(webhookId) + 1;
            }
        }

        var messages = await LoadAsync([.. claimed.Select(c => c.Id)], cancellationToken);
        foreach (var (id, webhookId) in claimed)
        {
            if (messages.TryGetValue(id, out var message))
            {
                _ = SendOneAsync(message, cancellationToken);
            }
            else
            {
                Release(id, webhookId); // its webhook was deleted meanwhile
            }
        }

        return claimed.Count;
    }

    private async Task<Dictionary<string, WebhookMessage>> LoadAsync(List<string> ids, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from d in db.WebhookDeliveries.AsNoTracking()
            where ids.Contains(d.Id)
            join e in db.Events.AsNoTracking() on d.EventSeq equals e.Seq
            join w in db.Webhooks.AsNoTracking() on d.WebhookId equals w.Id
            select new { d.Id, d.WebhookId, d.EventId, w.Url, e.Body, w.ProtectedSecret, w.ProtectedPreviousSecret, w.PreviousSecretUntil })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return rows.ToDictionary(r => r.Id, r => new WebhookMessage(
            r.Id, r.WebhookId, r.EventId, r.Url, Encoding.UTF8.GetBytes(r.Body), Secret(r.ProtectedSecret),
            r.ProtectedPreviousSecret is { } previous && r.PreviousSecretUntil > now ? Secret(previous) : null));
    }

    private string Secret(string stored) => _secretCache.GetOrAdd(stored, secrets.Unprotect);

    private async Task SendOneAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var at = time.UtcNowMillis();
        WebhookAttemptResult result;
        try
        {
            result = await sender.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return; // shutting down: the lease lapses and the row is sent again after restart
            }

            result = new WebhookAttemptResult(false, null, 0, ex.Message.Length > WebhookAttempt.MaxErrorLength ? ex.Message[..WebhookAttempt.MaxErrorLength] : ex.Message, null);
        }

        _outcomes.Writer.TryWrite(new Outcome(message.DeliveryId, message.WebhookId, at, result));
    }

    private async Task RecordLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _outcomes.Reader;
        var batch = new List<Outcome>(FlushBatch);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < FlushBatch && reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }

            try
            {
                await RecordAsync(batch, cancellationToken);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Not recorded: the leases lapse and the rows are sent again (at-least-once).
                if (!cancellationToken.IsCancellationRequested)
                {
                    LogRecordFailed(logger, ex, batch.Count);
                }
            }

            foreach (var outcome in batch)
            {
                Release(outcome.DeliveryId, outcome.WebhookId);
            }

            signal.Pulse();
        }
    }

    private Task<int> RecordAsync(List<Outcome> batch, CancellationToken cancellationToken)
    {
        var jitter = batch.Select(_ => Random.Shared.NextDouble()).ToArray();
        return writes.ExecuteAsync(async ctx =>
        {
            var ids = batch.Select(b => b.DeliveryId).ToList();
            var rows = await ctx.Db.WebhookDeliveries.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
            int delivered = 0, retrying = 0, failed = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                var (deliveryId, _, at, result) = batch[i];
                if (!rows.TryGetValue(deliveryId, out var d) || d.Status != WebhookDeliveryStatus.Pending)
                {
                    continue;
                }

                d.Attempts++;
                d.LeaseUntil = null;
                ctx.Db.WebhookAttempts.Add(new WebhookAttempt
                {
                    DeliveryId = d.Id,
                    Number = d.Attempts,
                    At = at,
                    HttpStatus = result.HttpStatus,
                    LatencyMs = result.LatencyMs,
                    Error = result.Error,
                    ResponseBody = result.ResponseBody,
                });
                if (result.Succeeded)
                {
                    d.Status = WebhookDeliveryStatus.Delivered;
                    d.DeliveredAt = ctx.Now;
                    d.LastError = null;
                    delivered++;
                }
                else
                {
                    d.LastError = result.Error;
                    if (d.Attempts >= d.MaxAttempts)
                    {
                        d.Status = WebhookDeliveryStatus.Failed;
                        failed++;
                    }
                    else
                    {
                        retrying++;
                        d.NextAttemptAt = ctx.Now + WebhookRetrySchedule.Delay(d.Attempts, _options.BackoffBase, _options.BackoffMax, jitter[i]);
                    }
                }
            }

            ctx.AfterCommit(() => metrics.WebhookAttempts(delivered, retrying, failed));
            return rows.Count;
        }, cancellationToken);
    }

    private void Release(string deliveryId, string webhookId)
    {
        lock (_gate)
        {
            if (_inFlight.Remove(deliveryId) && _perWebhook.TryGetValue(webhookId, out var count))
            {
                if (count <= 1)
                {
                    _perWebhook.Remove(webhookId);
                }
                else
                {
                    _perWebhook[webhookId] = count - 1;
                }
            }
        }
    }

    private sealed record Outcome(string DeliveryId, string WebhookId, DateTime At, WebhookAttemptResult Result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook delivery round failed; it runs again at the next sweep")]
    private static partial void LogRoundFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Count} webhook attempts failed; their leases lapse and they are sent again")]
    private static partial void LogRecordFailed(ILogger logger, Exception ex, int count);
}
