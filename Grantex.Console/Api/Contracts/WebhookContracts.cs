using System.Text.Json.Serialization;
using Grantex.Core.Webhooks;

namespace Grantex.Console.Api.Contracts;

/// <summary>The reference's webhook object (wire format §7.2) as answered by create and rotation: the only time the secret appears.</summary>
public sealed record WebhookCreatedResponse(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    string Secret,
    DateTime CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? PreviousSecretExpiresAt = null)
{
    public static WebhookCreatedResponse From(WebhookWithSecret w) =>
        new(w.Webhook.Id, w.Webhook.Url, w.Webhook.Events, w.Secret, w.Webhook.CreatedAt, w.Webhook.PreviousSecretUntil);
}

/// <summary>A webhook in lists: never its secret.</summary>
public sealed record WebhookResponse(string Id, string Url, IReadOnlyList<string> Events, DateTime CreatedAt)
{
    public static WebhookResponse From(Webhook w) => new(w.Id, w.Url, w.Events, w.CreatedAt);
}

public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Webhooks);

/// <summary>The reference's delivery object, plus when a pending one is next tried and which delivery a redelivery repeats.</summary>
public sealed record WebhookDeliveryResponse(
    string Id,
    string WebhookId,
    string EventId,
    string EventType,
    string Status,
    int Attempts,
    int MaxAttempts,
    string Url,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? LastError,
    DateTime CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTime? DeliveredAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTime? NextAttemptAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RedeliveryOf)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) => new(
        d.Id, d.WebhookId, d.EventId, d.EventType, d.Status, d.Attempts, d.MaxAttempts, d.Url, d.LastError, d.CreatedAt, d.DeliveredAt,
        d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.RedeliveryOf);
}

public sealed record WebhookDeliveryListResponse(IReadOnlyList<WebhookDeliveryResponse> Deliveries, int Total, int Page, int PageSize);

/// <summary>One attempt: when, the receiver's status (null when none came), latency, error and the bounded body prefix.</summary>
public sealed record WebhookAttemptResponse(
    int Number,
    DateTime At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? HttpStatus,
    int LatencyMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ResponseBody)
{
    public static WebhookAttemptResponse From(WebhookAttempt a) => new(a.Number, a.At, a.HttpStatus, a.LatencyMs, a.Error, a.ResponseBody);
}

public sealed record WebhookAttemptListResponse(IReadOnlyList<WebhookAttemptResponse> Attempts);
