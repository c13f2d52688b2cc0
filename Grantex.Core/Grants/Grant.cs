using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Events;
using Grantex.Core.Identity;
using Grantex.Core.Passkeys;
using Grantex.Core.Tokens;

namespace Grantex.Core.Grants;

/// <summary>
/// A person's authorization of an agent. Created only by the two factories below — from an approved authorization
/// request (code exchange) or from a parent grant (delegation). Revocation is a status change; nothing is deleted.
/// </summary>
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

    /// <summary>How the passkey of the presence proof was enrolled (what the proof is worth).</summary>
    public PasskeyEnrolment? PresenceEnrolment { get; init; }

    /// <summary>How the person who approved was identified; a delegated grant keeps its root's (the same person's consent).</summary>
    public IdentityLevel IdentityLevel { get; init; }

    public string? IdentityIssuer { get; init; }

    public string? IdentitySubject { get; init; }

    public DateTime? IdentityAt { get; init; }

    /// <summary>The identity provider's <c>amr</c> values, space-separated.</summary>
    public string? IdentityAmr { get; init; }

    public bool IsActiveAt(DateTime now) => Status == GrantStatus.Active && ExpiresAt > now;

    /// <summary>The status clients see: revoked, expired (computed, never stored) or active.</summary>
    public string EffectiveStatus(DateTime now) =>
        Status == GrantStatus.Revoked ? "revoked" : ExpiresAt <= now ? "expired" : "active";

    /// <summary>Whom this grant's audit entries are about.</summary>
    public AuditSubject AuditSubject => new(DeveloperId, AgentId, Id, PrincipalId);

    /// <summary>A root grant for the request whose code is being exchanged, with the presence proof its consent carried.</summary>
    public static Grant FromApprovedRequest(AuthRequest request, DateTime now)
    {
        var id = Ids.New(Ids.Grant);
        return new Grant
        {
            Id = id,
            RootGrantId = id,
            DeveloperId = request.DeveloperId,
            AgentId = request.AgentId,
            PrincipalId = request.PrincipalId,
            Scopes = request.Scopes,
            Audience = request.Audience,
            Status = GrantStatus.Active,
            IssuedAt = now,
            ExpiresAt = now.AddSeconds(request.GrantLifetimeSeconds),
            AuthRequestId = request.Id,
            PresenceCredentialHash = request.PresenceCredentialId is null ? null : Secrets.Sha256Hex(request.PresenceCredentialId),
            PresenceVerifiedAt = request.PresenceVerifiedAt,
            PresenceUserVerified = request.PresenceUserVerified,
            PresenceEnrolment = request.PresenceEnrolment,
            IdentityLevel = request.IdentityLevel,
            IdentityIssuer = request.IdentityIssuer,
            IdentitySubject = request.IdentitySubject,
            IdentityAt = request.IdentityAt,
            IdentityAmr = request.IdentityAmr,
        };
    }

    /// <summary>A narrower child of this grant for a sub-agent: same principal and tree, one level deeper, never outliving it.</summary>
    public Grant Delegate(string subAgentId, List<string> scopes, DateTime requestedExpiry, DateTime now) => new()
    {
        Id = Ids.New(Ids.Grant),
        DeveloperId = DeveloperId,
        AgentId = subAgentId,
        PrincipalId = PrincipalId,
        Scopes = scopes,
        Status = GrantStatus.Active,
        IssuedAt = now,
        ExpiresAt = requestedExpiry < ExpiresAt ? requestedExpiry : ExpiresAt,
        ParentGrantId = Id,
        RootGrantId = RootGrantId,
        DelegationDepth = DelegationDepth + 1,
        IdentityLevel = IdentityLevel,
        IdentityIssuer = IdentityIssuer,
        IdentitySubject = IdentitySubject,
        IdentityAt = IdentityAt,
        IdentityAmr = IdentityAmr,
    };

    /// <summary>The <c>grant.created</c> event: a delegated grant adds its depth and parent.</summary>
    public EventDraft CreatedEvent() => new(DeveloperId, EventTypes.GrantCreated, new GrantCreatedData(
        Id, AgentId, PrincipalId, Scopes, TimeFormat.Iso(ExpiresAt),
        ParentGrantId is null ? null : DelegationDepth, ParentGrantId));

    /// <summary>The facts a token minted for this grant carries.</summary>
    public TokenGrant ForToken(string? parentAgentDid) => new(
        Id, DeveloperId, AgentId, PrincipalId, Scopes, Audience, ExpiresAt, ParentGrantId, parentAgentDid, DelegationDepth,
        PresenceCredentialHash is { } cred && PresenceVerifiedAt is { } at
            ? new PresenceEvidence(TimeFormat.ToUnixSeconds(at), cred, PresenceUserVerified, PresenceEnrolment is { } via ? PasskeyEnrolments.ToWire(via) : null)
            : null,
        Identity);

    /// <summary>How the person who approved was identified, as the token and the console show it.</summary>
    public IdentityEvidence Identity => new(
        IdentityLevel, IdentityIssuer, IdentitySubject, IdentityAt is { } at ? TimeFormat.ToUnixSeconds(at) : null,
        IdentityAmr is { Length: > 0 } amr ? amr.Split(' ') : []);
}
