namespace Grantex.Core.Webhooks;

/// <summary>One try of a delivery: when, what the receiver answered (or why nothing), how long it took.</summary>
public sealed class WebhookAttempt
{
    public const int MaxErrorLength = 512;

    public long Id { get; set; }

    public required string DeliveryId { get; init; }

    public int Number { get; init; }

    public DateTime At { get; init; }

    /// <summary>The receiver's status code, or null when no response arrived (refused, timed out, forbidden address).</summary>
    public int? HttpStatus { get; init; }

    public int LatencyMs { get; init; }

    public string? Error { get; init; }

    /// <summary>At most <see cref="WebhookOptions.MaxResponseBytes"/> of the response body, as text.</summary>
    public string? ResponseBody { get; init; }
}
