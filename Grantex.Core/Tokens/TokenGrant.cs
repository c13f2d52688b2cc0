namespace Grantex.Core.Tokens;

/// <summary>What a token is minted for: the grant's facts the claims carry (Tokens knows nothing else about grants).</summary>
public sealed record TokenGrant(
    string GrantId,
    string DeveloperId,
    string AgentId,
    string PrincipalId,
    IReadOnlyList<string> Scopes,
    string? Audience,
    DateTime ExpiresAt,
    string? ParentGrantId,
    string? ParentAgentDid,
    int DelegationDepth,
    PresenceEvidence? Presence,
    IdentityEvidence? Identity = null);
