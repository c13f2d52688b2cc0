namespace Grantex.Core.Passkeys;

/// <summary>
/// How a principal's passkey was enrolled, which decides what it proves (README, "Proving who approved"). Only the
/// paths the developer does not control — after a sign-in at the developer's identity provider as that principal
/// (<see cref="Sso"/>), or through an administrator's one-time link (<see cref="EnrolmentLink"/>) — tie the key to
/// the person; a key enrolled through the developer's API or by whoever first opened a consent link proves
/// possession of a key, not who holds it.
/// </summary>
public enum PasskeyEnrolment
{
    /// <summary>Through <c>/v1/webauthn/register/*</c> with the developer's API key (also every passkey enrolled before the path was recorded).</summary>
    DeveloperApi = 0,

    /// <summary>On the consent page, first use, by whoever held the consent link (developers on <c>none</c> only).</summary>
    ConsentPage = 1,

    /// <summary>On the consent page right after a sign-in at the developer's identity provider as the principal.</summary>
    Sso = 2,

    /// <summary>Through a one-time enrolment link an administrator issued in the console for this principal.</summary>
    EnrolmentLink = 3,
}
