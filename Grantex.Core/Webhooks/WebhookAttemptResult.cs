namespace Grantex.Core.Webhooks;

/// <summary>What one send produced: 2xx or not, the status if a response came, and the bounded body prefix.</summary>
public sealed record WebhookAttemptResult(bool Succeeded, int? HttpStatus, int LatencyMs, string? Error, string? ResponseBody);
