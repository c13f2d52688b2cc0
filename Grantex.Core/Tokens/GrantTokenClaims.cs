namespace Grantex.Core.Tokens;

/// <summary>The claims of a grant token (wire format §4.1), plus our presence evidence (api.md).</summary>
public sealed record GrantTokenClaims
{
    public required string Issuer { get; init; }

    public required string Subject { get; init; }

    public string? Audience { get; init; }

    public required string AgentDid { get; init; }

    public required string DeveloperId { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string GrantId { get; init; }

    public required long IssuedAt { get; init; }

    public required long ExpiresAt { get; init; }

    public required string TokenId { get; init; }

    public string? ParentAgentDid { get; init; }

    public string? ParentGrantId { get; init; }

    public int? DelegationDepth { get; init; }

    /// <summary>Passkey presence proof carried by the token, when the consent required one.</summary>
    public PresenceEvidence? Presence { get; init; }

    /// <summary>How the person was identified (<c>acr</c>, <c>amr</c>, <c>idv</c>); null writes none of these claims.</summary>
    public IdentityEvidence? Identity { get; init; }
}
