using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Events;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Webhooks;

/// <summary>
/// A developer's webhooks (wire format §7.2), shared by the REST API and the console: register (URL checked against
/// SSRF, secret shown once), list, delete, rotate the secret with an overlap, list deliveries and their attempts,
/// redeliver, and send a test event. Every change is audited, and so is a refused URL.
/// </summary>
public sealed class WebhookService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    WebhookUrlPolicy urls,
    WebhookSecrets secrets,
    WebhookSignal signal,
    IOptions<WebhookOptions> options)
{
    public const string LimitCode = "PLAN_LIMIT_EXCEEDED";
    public const int MaxPageSize = 100;

    public async Task<Result<WebhookWithSecret>> CreateAsync(
        string developerId, string? url, IReadOnlyList<string?>? events, string actor, CancellationToken cancellationToken = default)
    {
        var shape = urls.CheckShape(url);
        if (!shape.IsSuccess)
        {
            return shape.Error;
        }

        var types = CheckEvents(events);
        if (!types.IsSuccess)
        {
            return types.Error;
        }

        if (await urls.CheckTargetAsync(shape.Value, cancellationToken) is { } refused)
        {
            await writes.ExecuteAsync(async ctx =>
            {
                await ctx.AppendAuditAsync(Audit(developerId, AuditActions.WebhookUrlRefused, actor,
                    new AuditMetadata().AndBounded("url", url, 512).And("reason", refused.Message)));
                return 0;
            }, cancellationToken);
            return refused;
        }

        var secret = WebhookSecrets.New();
        var max = options.Value.MaxPerDeveloper;
        return await writes.ExecuteAsync<Result<WebhookWithSecret>>(async ctx =>
        {
            if (await ctx.Db.Webhooks.CountAsync(w => w.DeveloperId == developerId, cancellationToken) >= max)
            {
                return new GxError(GxErrorKind.LimitExceeded, LimitCode, $"A developer may have at most {max} webhooks. Delete one first.");
            }

            var webhook = new Webhook
            {
                Id = Ids.New(Ids.Webhook),
                DeveloperId = developerId,
                Url = url!,
                Events = types.Value,
                ProtectedSecret = secrets.Protect(secret),
                StartSeq = await ctx.Db.Events.MaxAsync(e => (long?)e.Seq, cancellationToken) ?? 0,
                CreatedAt = ctx.Now,
            };
            ctx.Db.Webhooks.Add(webhook);
            await ctx.AppendAuditAsync(Audit(developerId, AuditActions.WebhookCreated, actor, Meta(webhook.Id)
                .AndBounded("url", webhook.Url, 512).And("events", webhook.Events)));
            return new WebhookWithSecret(webhook, secret);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Webhook>> ListAsync(string developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Webhooks.AsNoTracking().Where(w => w.DeveloperId == developerId)
            .OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).ToListAsync(cancellationToken);
    }

    public async Task<Webhook?> GetAsync(string developerId, string webhookId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == webhookId && w.DeveloperId == developerId, cancellationToken);
    }

    /// <summary>Deletes the webhook and its delivery history; queued deliveries stop.</summary>
    public async Task<Result<Webhook>> DeleteAsync(string developerId, string webhookId, string actor, CancellationToken cancellationToken = default) =>
        await writes.ExecuteAsync<Result<Webhook>>(async ctx =>
        {
            var webhook = await ctx.Db.Webhooks.FirstOrDefaultAsync(w => w.Id == webhookId && w.DeveloperId == developerId, cancellationToken);
            if (webhook is null)
            {
                return NotFound();
            }

            var attempts = await ctx.Db.WebhookAttempts
                .Where(a => ctx.Db.WebhookDeliveries.Any(d => d.Id == a.DeliveryId && d.WebhookId == webhookId)).ExecuteDeleteAsync(cancellationToken);
            var deliveries = await ctx.Db.WebhookDeliveries.Where(d => d.WebhookId == webhookId).ExecuteDeleteAsync(cancellationToken);
            ctx.Db.Webhooks.Remove(webhook);
            await ctx.AppendAuditAsync(Audit(developerId, AuditActions.WebhookDeleted, actor, Meta(webhookId)
                .AndBounded("url", webhook.Url, 512).And("deliveriesDeleted", deliveries).And("attemptsDeleted", attempts)));
            return webhook;
        }, cancellationToken);

    /// <summary>A new secret (answered once); the previous one keeps signing in extra headers for the overlap.</summary>
    public async Task<Result<WebhookWithSecret>> RotateSecretAsync(string developerId, string webhookId, string actor, CancellationToken cancellationToken = default)
    {
        var secret = WebhookSecrets.New();
        var overlap = options.Value.SecretOverlap;
        return await writes.ExecuteAsync<Result<WebhookWithSecret>>(async ctx =>
        {
            var webhook = await ctx.Db.Webhooks.FirstOrDefaultAsync(w => w.Id == webhookId && w.DeveloperId == developerId, cancellationToken);
            if (webhook is null)
            {
                return NotFound();
            }

            webhook.ProtectedPreviousSecret = overlap > TimeSpan.Zero ? webhook.ProtectedSecret : null;
            webhook.PreviousSecretUntil = overlap > TimeSpan.Zero ? ctx.Now + overlap : null;
            webhook.ProtectedSecret = secrets.Protect(secret);
            webhook.SecretRotatedAt = ctx.Now;
            await ctx.AppendAuditAsync(Audit(developerId, AuditActions.WebhookSecretRotated, actor, Meta(webhookId)
                .And("previousSecretValidUntil", webhook.PreviousSecretUntil is { } until ? TimeFormat.Iso(until) : null)));
            return new WebhookWithSecret(webhook, secret);
        }, cancellationToken);
    }

    public async Task<Result<WebhookDeliveryPage>> ListDeliveriesAsync(
        string developerId, string webhookId, string? status, int? page, int? pageSize, CancellationToken cancellationToken = default)
    {
        if (status is not null && !WebhookDeliveryStatus.All.Contains(status))
        {
            return GxError.BadRequest("status must be pending, delivered or failed.", "status");
        }

        var p = page ?? 1;
        var size = pageSize ?? 20;
        if (p < 1)
        {
            return GxError.BadRequest("page must be 1 or more.", "page");
        }

        if (size < 1)
        {
            return GxError.BadRequest($"pageSize must be between 1 and {MaxPageSize}.", "pageSize");
        }

        size = Math.Min(size, MaxPageSize);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.Webhooks.AnyAsync(w => w.Id == webhookId && w.DeveloperId == developerId, cancellationToken))
        {
            return NotFound();
        }

        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == webhookId);
        if (status is not null)
        {
            query = query.Where(d => d.Status == status);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new WebhookDeliveryPage(rows, total, p, size);
    }

    /// <summary>Every attempt of one of the developer's deliveries, oldest first (null when there is no such delivery).</summary>
    public async Task<IReadOnlyList<WebhookAttempt>?> AttemptsAsync(string developerId, string webhookId, string deliveryId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.WebhookDeliveries.AnyAsync(d => d.Id == deliveryId && d.WebhookId == webhookId && d.DeveloperId == developerId, cancellationToken))
        {
            return null;
        }

        return await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.Number).ToListAsync(cancellationToken);
    }

    /// <summary>Queues the same event again as a new delivery (the original keeps its history).</summary>
    public async Task<Result<WebhookDelivery>> RedeliverAsync(string developerId, string webhookId, string deliveryId, string actor, CancellationToken cancellationToken = default)
    {
        var maxAttempts = options.Value.MaxAttempts;
        var result = await writes.ExecuteAsync<Result<WebhookDelivery>>(async ctx =>
        {
            var original = await ctx.Db.WebhookDeliveries.AsNoTracking()
                .FirstOrDefaultAsync(d => d.Id == deliveryId && d.WebhookId == webhookId && d.DeveloperId == developerId, cancellationToken);
            if (original is null)
            {
                return GxError.NotFound("Delivery not found.");
            }

            var delivery = NewDelivery(original.WebhookId, developerId, original.EventId, original.EventSeq, original.EventType, original.Url, maxAttempts, ctx.Now, original.Id);
            ctx.Db.WebhookDeliveries.Add(delivery);
            await ctx.AppendAuditAsync(Audit(developerId, AuditActions.WebhookRedelivered, actor, Meta(webhookId)
                .And("deliveryId", delivery.Id).And("redeliveryOf", original.Id).And("eventId", original.EventId)));
            ctx.AfterCommit(signal.Pulse);
            return delivery;
        }, cancellationToken);
        return result;
    }

    /// <summary>Emits a <c>webhook.test</c> event and queues it for this webhook only.</summary>
    public async Task<Result<WebhookDelivery>> SendTestAsync(string developerId, string webhookId, string actor, CancellationToken cancellationToken = default)
    {
        var maxAttempts = options.Value.MaxAttempts;
        return await writes.ExecuteAsync<Result<WebhookDelivery>>(async ctx =>
        {
            var webhook = await ctx.Db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == webhookId && w.DeveloperId == developerId, cancellationToken);
            if (webhook is null)
            {
                return NotFound();
            }

            var evt = ctx.Emit(new EventDraft(developerId, EventTypes.WebhookTest,
                new WebhookTestData(webhookId, "This is a test event sent from Grantex. No action is needed.")));
            await ctx.Db.SaveChangesAsync(cancellationToken);
            var delivery = NewDelivery(webhookId, developerId, evt.Id, evt.Seq, evt.Type, webhook.Url, maxAttempts, ctx.Now, null);
            ctx.Db.WebhookDeliveries.Add(delivery);
            await ctx.AppendAuditAsync(Audit(developerId, AuditActions.WebhookTestSent, actor, Meta(webhookId).And("deliveryId", delivery.Id).And("eventId", evt.Id)));
            ctx.AfterCommit(signal.Pulse);
            return delivery;
        }, cancellationToken);
    }

    internal static WebhookDelivery NewDelivery(
        string webhookId, string developerId, string eventId, long eventSeq, string eventType, string url, int maxAttempts, DateTime now, string? redeliveryOf) => new()
        {
            Id = Ids.New(Ids.WebhookDelivery),
            WebhookId = webhookId,
            DeveloperId = developerId,
            EventId = eventId,
            EventSeq = eventSeq,
            EventType = eventType,
            Url = url,
            MaxAttempts = maxAttempts,
            CreatedAt = now,
            NextAttemptAt = now,
            RedeliveryOf = redeliveryOf,
        };

    /// <summary>A non-empty list of subscribable types, duplicates dropped, in the order given.</summary>
    public static Result<List<string>> CheckEvents(IReadOnlyList<string?>? events)
    {
        if (events is null || events.Count == 0)
        {
            return GxError.BadRequest("events must be a non-empty list of event types. Valid: " + string.Join(", ", WebhookEvents.Subscribable) + ".", "events");
        }

        var invalid = events.Where(e => e is null || !WebhookEvents.IsSubscribable(e)).Select(e => e ?? "null").Distinct().ToList();
        if (invalid.Count > 0)
        {
            return GxError.BadRequest(
                $"Invalid event types: {string.Join(", ", invalid.Select(i => i.Length > 64 ? i[..64] + "…" : i))}. Valid: {string.Join(", ", WebhookEvents.Subscribable)}", "events");
        }

        return events.Select(e => e!).Distinct(StringComparer.Ordinal).ToList();
    }

    private static GxError NotFound() => GxError.NotFound("Webhook not found.");

    private static AuditMetadata Meta(string webhookId) => AuditMetadata.With("webhookId", webhookId);

    private static AuditDraft Audit(string developerId, AuditAction action, string actor, AuditMetadata metadata) =>
        AuditDraft.For(new AuditSubject(developerId), action, actor, metadata);
}
