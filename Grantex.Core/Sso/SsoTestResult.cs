namespace Grantex.Core.Sso;

/// <summary>What "test connection" found at the provider's discovery document: success, or each problem in words.</summary>
public sealed record SsoTestResult(bool Success, string DiscoveryUrl, string? Issuer, string? AuthorizationEndpoint, string? TokenEndpoint, IReadOnlyList<string> Problems);
