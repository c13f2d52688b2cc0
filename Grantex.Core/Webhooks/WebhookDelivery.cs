namespace Grantex.Core.Webhooks;

/// <summary>
/// One event on its way to one webhook: pending until a 2xx (delivered) or until <see cref="MaxAttempts"/> failed
/// attempts (failed, the dead letter). A pending row is sent when <see cref="NextAttemptAt"/> is due and it is not
/// leased; the lease (<see cref="LeaseUntil"/>) outlives one attempt, so a row claimed by a process that crashed is
/// sent again once it lapses (at-least-once; receivers drop duplicates by event id).
/// </summary>
public sealed class WebhookDelivery
{
    public required string Id { get; init; }

    public required string WebhookId { get; init; }

    public required string DeveloperId { get; init; }

    public required string EventId { get; init; }

    public long EventSeq { get; init; }

    public required string EventType { get; init; }

    /// <summary>The URL when the delivery was queued (the wire format reports it per delivery).</summary>
    public required string Url { get; init; }

    public string Status { get; set; } = WebhookDeliveryStatus.Pending;

    public int Attempts { get; set; }

    public int MaxAttempts { get; init; }

    public string? LastError { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? DeliveredAt { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime? LeaseUntil { get; set; }

    /// <summary>The delivery this one repeats, when made by "redeliver".</summary>
    public string? RedeliveryOf { get; init; }
}
