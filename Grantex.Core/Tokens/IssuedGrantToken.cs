namespace Grantex.Core.Tokens;

/// <summary>What the exchange, refresh and delegation endpoints return (wire format §3.6).</summary>
public sealed record IssuedGrantToken(string GrantToken, DateTime ExpiresAt, IReadOnlyList<string> Scopes, string RefreshToken, string GrantId);
