namespace Grantex.Core.Webhooks;

/// <summary>The connect-time SSRF check refused an address the host resolved to.</summary>
public sealed class WebhookTargetForbiddenException(string message) : Exception(message);
