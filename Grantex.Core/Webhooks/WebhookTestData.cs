namespace Grantex.Core.Webhooks;

/// <summary><c>webhook.test</c>: which webhook asked, and a line saying it is only a test.</summary>
public sealed record WebhookTestData(string WebhookId, string Message);
