namespace Grantex.Core.Webhooks;

/// <summary>A delivery's state as the wire format names it; <see cref="Failed"/> is the dead-letter state.</summary>
public static class WebhookDeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed];
}
