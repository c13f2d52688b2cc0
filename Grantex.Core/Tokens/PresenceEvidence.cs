namespace Grantex.Core.Tokens;

/// <summary>
/// Evidence that the person was present at consent: when the passkey assertion was made, a SHA-256 of the
/// credential id (not the id itself), whether the authenticator verified the user, and how the passkey was enrolled
/// (<c>sso</c>, <c>enrolment_link</c>, <c>developer_api</c> or <c>consent_page</c>). Carried as a <c>presence</c>
/// claim <c>{at, cred, uv, enr}</c> and in <c>amr</c>: <c>["hwk", "user"]</c> only for a passkey enrolled through a
/// path the developer does not control; any other passkey proves possession of some key (<c>["pop"]</c>), since the
/// developer may hold it.
/// </summary>
public sealed record PresenceEvidence(long VerifiedAt, string CredentialHash, bool UserVerified, string? Enrolment = null)
{
    /// <summary>True when the passkey was enrolled after an SSO sign-in or through an administrator's enrolment link.</summary>
    public bool IndependentlyEnrolled => Enrolment is "sso" or "enrolment_link";

    /// <summary>The RFC 8176 <c>amr</c> values this proof is worth.</summary>
    public IReadOnlyList<string> TokenAmr => IndependentlyEnrolled ? UserVerified ? ["hwk", "user"] : ["hwk"] : ["pop"];
}
