using Grantex.Core.Events;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Webhooks;

/// <summary>
/// Turns committed events into delivery rows, one per subscribed webhook. It walks the durable event log by sequence
/// number in the background and commits each batch's rows together with its cursor (<see cref="WebhookFanoutCursor"/>)
/// in one writer command, so a crash can neither lose nor duplicate a fan-out.
/// Why not insert the rows inside the emitting transaction: that would put a webhook lookup into every command that
/// emits (token issuance, revocation, consent) on the single writer, whereas here a thousand events cost one read and
/// one insert batch, and every future emitter (anomalies, …) is covered without touching it.
/// A webhook receives only events after its <see cref="Webhook.StartSeq"/> (none from before it existed).
/// </summary>
public sealed class WebhookFanout(IDbContextFactory<GrantexDbContext> factory, EventLog log, WriteQueue writes, IOptions<WebhookOptions> options)
{
    public const int BatchSize = 1000;

    /// <summary>Fans out one batch of events after the cursor; returns how many events it consumed (0 when caught up).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        long start;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            start = await db.WebhookFanoutCursors.AsNoTracking().Where(c => c.Id == WebhookFanoutCursor.SingletonId)
                .Select(c => (long?)c.Seq).FirstOrDefaultAsync(cancellationToken)
                // First run: nothing before the oldest webhook can be for any webhook.
                ?? await db.Webhooks.MinAsync(w => (long?)w.StartSeq, cancellationToken)
                ?? await log.LastSeqAsync(cancellationToken);
        }

        var events = await log.ReadAllAfterAsync(start, BatchSize, cancellationToken);
        var end = events.Count > 0 ? events[^1].Seq : start;
        var maxAttempts = options.Value.MaxAttempts;
        return await writes.ExecuteAsync(async ctx =>
        {
            var cursor = await ctx.Db.WebhookFanoutCursors.FirstOrDefaultAsync(c => c.Id == WebhookFanoutCursor.SingletonId, cancellationToken);
            if (cursor is not null && cursor.Seq != start)
            {
                return 0; // another walk moved it since we read; the next round starts from there
            }

            if (cursor is null)
            {
                ctx.Db.WebhookFanoutCursors.Add(new WebhookFanoutCursor { Seq = end });
            }
            else if (events.Count == 0)
            {
                return 0;
            }
            else
            {
                cursor.Seq = end;
            }

            var developers = events.Where(e => WebhookEvents.IsSubscribable(e.Type)).Select(e => e.DeveloperId).Distinct().ToList();
            if (developers.Count == 0)
            {
                return events.Count;
            }

            var hooks = (await ctx.Db.Webhooks.AsNoTracking().Where(w => developers.Contains(w.DeveloperId))
                    .Select(w => new { w.Id, w.DeveloperId, w.Url, w.Events, w.StartSeq }).ToListAsync(cancellationToken))
                .ToLookup(w => w.DeveloperId);
            foreach (var e in events)
            {
                if (!WebhookEvents.IsSubscribable(e.Type))
                {
                    continue;
                }

                foreach (var hook in hooks[e.DeveloperId])
                {
                    if (e.Seq > hook.StartSeq && hook.Events.Contains(e.Type))
                    {
                        ctx.Db.WebhookDeliveries.Add(WebhookService.NewDelivery(hook.Id, e.DeveloperId, e.Id, e.Seq, e.Type, hook.Url, maxAttempts, ctx.Now, null));
                    }
                }
            }

            return events.Count;
        }, cancellationToken);
    }
}
