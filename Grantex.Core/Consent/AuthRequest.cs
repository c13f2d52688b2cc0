using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Events;
using Grantex.Core.Identity;
using Grantex.Core.Passkeys;
using Grantex.Core.Policies;

namespace Grantex.Core.Consent;

/// <summary>An authorization request: pending consent, then approved with a code, then consumed by the exchange.</summary>
public sealed class AuthRequest
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string AgentId { get; init; }

    /// <summary>
    /// The person the grant is for. An OAuth client's request may leave it unnamed (<see cref="UnnamedPrincipal"/>):
    /// then, for a developer that identifies people by sign-in, the consent's sign-in names it (<see cref="NamePrincipal"/>).
    /// </summary>
    public required string PrincipalId { get; set; }

    /// <summary>The placeholder principal of an OAuth client's request that named no one (no <c>login_hint</c>).</summary>
    public static string UnnamedPrincipal(string agentId) => "oauth:" + agentId;

    public bool HasUnnamedPrincipal => PrincipalId == UnnamedPrincipal(AgentId);

    /// <summary>Replaces the unnamed placeholder by the principal the consent's sign-in identified.</summary>
    public void NamePrincipal(string principalId)
    {
        if (!HasUnnamedPrincipal)
        {
            throw new InvalidOperationException("Only an unnamed principal can be named by the sign-in.");
        }

        PrincipalId = principalId.Length > 256 ? principalId[..256] : principalId;
    }

    public required List<string> Scopes { get; init; }

    public string? RedirectUri { get; init; }

    public string? State { get; init; }

    public string? Audience { get; init; }

    /// <summary>The lifetime the grant will get when the code is exchanged.</summary>
    public long GrantLifetimeSeconds { get; init; }

    public string? CodeChallenge { get; init; }

    public AuthRequestStatus Status { get; set; }

    public DateTime CreatedAt { get; init; }

    /// <summary>Until when the person may decide (pending requests only).</summary>
    public DateTime ExpiresAt { get; init; }

    /// <summary>SHA-256 of the authorization code; the code itself is never stored.</summary>
    public string? CodeHash { get; set; }

    public DateTime? CodeExpiresAt { get; set; }

    public DateTime? DecidedAt { get; set; }

    /// <summary>How the request was decided: sandbox, policy, consent page, test helper.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>The grant issued by the first exchange of the code (revoked if the code is replayed).</summary>
    public string? GrantId { get; set; }

    public string? PresenceCredentialId { get; set; }

    public DateTime? PresenceVerifiedAt { get; set; }

    public bool PresenceUserVerified { get; set; }

    /// <summary>How the passkey of the presence proof was enrolled.</summary>
    public PasskeyEnrolment? PresenceEnrolment { get; set; }

    /// <summary>How the person who decided was identified (<see cref="IdentityLevel.None"/>: not at all).</summary>
    public IdentityLevel IdentityLevel { get; set; }

    /// <summary>The identity provider's issuer (SSO).</summary>
    public string? IdentityIssuer { get; set; }

    /// <summary>The identity provider's subject (SSO).</summary>
    public string? IdentitySubject { get; set; }

    public DateTime? IdentityAt { get; set; }

    /// <summary>The identity provider's <c>amr</c> values, space-separated.</summary>
    public string? IdentityAmr { get; set; }

    public long Version { get; set; }

    /// <summary>Whom this request's audit entries are about.</summary>
    public AuditSubject AuditSubject => new(DeveloperId, AgentId, GrantId ?? "", PrincipalId);

    /// <summary>Approves: stores the code's hash (never the code), when it expires, who decided, and how the person was identified.</summary>
    public void Approve(string code, DateTime now, DateTime codeExpiresAt, string decidedBy, PresenceProof? presence, IdentityProof? identity = null)
    {
        RecordIdentity(identity, presence);
        Status = AuthRequestStatus.Approved;
        CodeHash = Secrets.Sha256Hex(code);
        CodeExpiresAt = codeExpiresAt;
        Decide(now, decidedBy);
    }

    public void Deny(DateTime now, string decidedBy, IdentityProof? identity = null, PresenceProof? presence = null)
    {
        RecordIdentity(identity, presence);
        Status = AuthRequestStatus.Denied;
        Decide(now, decidedBy);
    }

    /// <summary>The audit entry of the decision just taken (<see cref="Approve"/> or <see cref="Deny"/>), naming the allow policy that decided, if any.</summary>
    public AuditDraft DecisionAudit(string actor, Policy? decidingPolicy = null) => AuditDraft.For(
        AuditSubject with { GrantId = "" },
        Status == AuthRequestStatus.Denied ? AuditActions.ConsentDenied : AuditActions.ConsentApproved,
        actor,
        AuditMetadata.With("authRequestId", Id).And("scopes", Scopes).And("presence", PresenceCredentialId is not null)
            .AndIf(PresenceEnrolment is not null, "passkeyEnrolment", PresenceEnrolment is { } via ? PasskeyEnrolments.ToWire(via) : null)
            .And("identity", IdentityLevels.ToWire(IdentityLevel))
            .AndIf(IdentityIssuer is not null, "identityIssuer", IdentityIssuer)
            .AndIf(IdentitySubject is not null, "identitySubject", IdentitySubject)
            .AndIf(decidingPolicy is not null, "policyId", decidingPolicy?.Id)
            .AndIf(decidingPolicy is not null, "policyName", decidingPolicy?.Name));

    /// <summary>The <c>consent.approved</c> or <c>consent.denied</c> event of the decision just taken.</summary>
    public EventDraft DecisionEvent(Policy? decidingPolicy = null) => new(
        DeveloperId,
        Status == AuthRequestStatus.Denied ? EventTypes.ConsentDenied : EventTypes.ConsentApproved,
        new ConsentDecisionData(Id, AgentId, PrincipalId, Scopes, PresenceCredentialId is not null, decidingPolicy?.Id));

    /// <summary>
    /// The level: <see cref="IdentityLevel.Passkey"/> when the presence proof's passkey was enrolled through a path the
    /// developer does not control, else <see cref="IdentityLevel.Sso"/> with a sign-in for this request, else none.
    /// </summary>
    private void RecordIdentity(IdentityProof? identity, PresenceProof? presence)
    {
        if (presence is not null)
        {
            PresenceCredentialId = presence.CredentialId;
            PresenceVerifiedAt = presence.VerifiedAt;
            PresenceUserVerified = presence.UserVerified;
            PresenceEnrolment = presence.Enrolment;
        }

        if (identity is not null)
        {
            IdentityLevel = IdentityLevel.Sso;
            IdentityIssuer = Truncate(identity.Issuer, 512);
            IdentitySubject = Truncate(identity.Subject, 256);
            IdentityAt = identity.At;
            IdentityAmr = identity.Amr.Count == 0 ? null : Truncate(string.Join(' ', identity.Amr), 128);
        }

        if (presence is not null && PasskeyEnrolments.IsIndependent(presence.Enrolment))
        {
            IdentityLevel = IdentityLevel.Passkey;
            IdentityAt = presence.VerifiedAt;
        }
    }

    private static string Truncate(string value, int max) => value.Length > max ? value[..max] : value;

    private void Decide(DateTime now, string decidedBy)
    {
        DecidedAt = now;
        DecidedBy = decidedBy.Length > 32 ? decidedBy[..32] : decidedBy;
    }
}
