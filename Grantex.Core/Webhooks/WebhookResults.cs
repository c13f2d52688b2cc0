namespace Grantex.Core.Webhooks;

/// <summary>A webhook with its secret, as answered once: on creation and on rotation.</summary>
public sealed record WebhookWithSecret(Webhook Webhook, string Secret);

/// <summary>One page of a webhook's deliveries (the wire format's page/pageSize paging), newest first.</summary>
public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDelivery> Deliveries, int Total, int Page, int PageSize);
