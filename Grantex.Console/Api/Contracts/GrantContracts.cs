using Grantex.Core.Grants;
using Grantex.Core.Passkeys;
using Grantex.Core.Tokens;

namespace Grantex.Console.Api.Contracts;

/// <summary>The passkey confirmation a grant was approved with; <c>enrolment</c> says how that passkey was enrolled (what it proves).</summary>
public sealed record PresenceResponse(DateTime VerifiedAt, string CredentialHash, bool UserVerified, string? Enrolment = null);

public sealed record GrantResponse(
    string GrantId, string AgentId, string PrincipalId, string DeveloperId, IReadOnlyList<string> Scopes, string Status,
    DateTime IssuedAt, DateTime ExpiresAt, DateTime? RevokedAt, int DelegationDepth, string? ParentGrantId, string RootGrantId,
    string? Audience, PresenceResponse? Presence)
{
    public static GrantResponse From(Grant g, DateTime now) => new(
        g.Id, g.AgentId, g.PrincipalId, g.DeveloperId, g.Scopes, g.EffectiveStatus(now), g.IssuedAt, g.ExpiresAt, g.RevokedAt,
        g.DelegationDepth, g.ParentGrantId, g.RootGrantId, g.Audience,
        g.PresenceVerifiedAt is { } at && g.PresenceCredentialHash is { } cred ? new PresenceResponse(at, cred, g.PresenceUserVerified, g.PresenceEnrolment is { } via ? PasskeyEnrolments.ToWire(via) : null) : null);
}

public sealed record GrantListResponse(IReadOnlyList<GrantResponse> Grants, string? NextCursor);

public sealed record DelegateRequest(string? ParentGrantToken, string? SubAgentId, List<string?>? Scopes, string? ExpiresIn, string? CredentialFormat);

public sealed record GrantClaimsResponse(
    string Sub, string Agt, string Dev, IReadOnlyList<string> Scp, string Jti, string Grnt, long Iat, long Exp, string? Aud, string? Iss,
    string? ParentAgt, string? ParentGrnt, int? DelegationDepth)
{
    public static GrantClaimsResponse From(VerifiedGrant g) => new(
        g.PrincipalId, g.AgentDid, g.DeveloperId, g.Scopes, g.TokenId, g.GrantId,
        new DateTimeOffset(g.IssuedAt).ToUnixTimeSeconds(), new DateTimeOffset(g.ExpiresAt).ToUnixTimeSeconds(), g.Audience, g.Issuer,
        g.ParentAgentDid, g.ParentGrantId, g.DelegationDepth);
}

public sealed record GrantVerifyResponse(bool Active, string? Reason, GrantClaimsResponse? Claims);
