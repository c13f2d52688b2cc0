namespace Grantex.Core.Webhooks;

/// <summary>Everything needed to send one delivery: where, what (the stored envelope bytes) and the secrets to sign with.</summary>
public sealed record WebhookMessage(string DeliveryId, string WebhookId, string EventId, string Url, byte[] Body, string Secret, string? PreviousSecret);
