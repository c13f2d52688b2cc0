using Grantex.Core.Tokens;

namespace Grantex.Console.Api.Contracts;

public sealed record TokenRequest(string? Code, string? AgentId, string? CodeVerifier, string? CredentialFormat);

public sealed record RefreshRequest(string? RefreshToken, string? AgentId);

public sealed record TokenResponse(string GrantToken, DateTime ExpiresAt, IReadOnlyList<string> Scopes, string RefreshToken, string GrantId)
{
    public static TokenResponse From(IssuedGrantToken t) => new(t.GrantToken, t.ExpiresAt, t.Scopes, t.RefreshToken, t.GrantId);
}

public sealed record TokenBody(string? Token);

public sealed record JtiBody(string? Jti);

/// <summary><c>{valid:true, grantId, scopes, principal, agent, expiresAt}</c>, or just <c>{valid:false}</c>.</summary>
public sealed record VerifyResponse(bool Valid, string? GrantId, IReadOnlyList<string>? Scopes, string? Principal, string? Agent, DateTime? ExpiresAt)
{
    public static readonly VerifyResponse Invalid = new(false, null, null, null, null, null);

    public static VerifyResponse From(VerifiedGrant g) => new(true, g.GrantId, g.Scopes, g.PrincipalId, g.AgentDid, g.ExpiresAt);
}
