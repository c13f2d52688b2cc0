namespace Grantex.Core.Tokens;

/// <summary>A grant token whose signature, issuer, lifetime, audience and required scopes checked out.</summary>
public sealed record VerifiedGrant
{
    public required string TokenId { get; init; }

    public required string GrantId { get; init; }

    public required string PrincipalId { get; init; }

    public required string AgentDid { get; init; }

    public required string DeveloperId { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required DateTime IssuedAt { get; init; }

    public required DateTime ExpiresAt { get; init; }

    public string? Audience { get; init; }

    public string? Issuer { get; init; }

    public string? ParentAgentDid { get; init; }

    public string? ParentGrantId { get; init; }

    public int? DelegationDepth { get; init; }

    public PresenceEvidence? Presence { get; init; }

    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];

    /// <summary>How the person was identified (<c>acr</c> and <c>idv</c>); <see cref="IdentityEvidence.None"/> when the token does not say.</summary>
    public IdentityEvidence Identity { get; init; } = IdentityEvidence.None;

    /// <summary>The token's <c>acr</c>, when it has one.</summary>
    public string? AuthenticationContext { get; init; }

    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);
}
