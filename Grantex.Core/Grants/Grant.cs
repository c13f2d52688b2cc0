namespace Grantex.Core.Grants;

/// <summary>A person's authorization of an agent. Revocation is a status change; nothing is deleted.</summary>
public sealed class Grant
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string AgentId { get; init; }

    public required string PrincipalId { get; init; }

    public required List<string> Scopes { get; init; }

    public string? Audience { get; init; }

    public GrantStatus Status { get; set; }

    public DateTime IssuedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>Who or what revoked it: "api", "cascade", "code_replay", "refresh_reuse", "console:user".</summary>
    public string? RevokedBy { get; set; }

    public string? ParentGrantId { get; init; }

    /// <summary>The root of the delegation tree (itself for a root grant).</summary>
    public required string RootGrantId { get; init; }

    public int DelegationDepth { get; init; }

    public string? AuthRequestId { get; init; }

    public string? PresenceCredentialHash { get; init; }

    public DateTime? PresenceVerifiedAt { get; init; }

    public bool PresenceUserVerified { get; init; }

    public bool IsActiveAt(DateTime now) => Status == GrantStatus.Active && ExpiresAt > now;

    /// <summary>The status clients see: revoked, expired (computed, never stored) or active.</summary>
    public string EffectiveStatus(DateTime now) =>
        Status == GrantStatus.Revoked ? "revoked" : ExpiresAt <= now ? "expired" : "active";
}
