namespace Grantex.Core.Webhooks;

/// <summary>
/// A developer's HTTPS receiver for events (reference wire format §7.2). The signing secret is kept encrypted with
/// Data Protection (it must be recoverable to sign, so it cannot be hashed); after a rotation the previous one keeps
/// signing in extra headers until <see cref="PreviousSecretUntil"/>.
/// </summary>
public sealed class Webhook
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string Url { get; init; }

    /// <summary>Subscribed event types (a subset of <see cref="WebhookEvents.Subscribable"/>).</summary>
    public required List<string> Events { get; init; }

    public required string ProtectedSecret { get; set; }

    public string? ProtectedPreviousSecret { get; set; }

    public DateTime? PreviousSecretUntil { get; set; }

    /// <summary>The event log's last position when the webhook was created: it receives only later events.</summary>
    public long StartSeq { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? SecretRotatedAt { get; set; }
}
