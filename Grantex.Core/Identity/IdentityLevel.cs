namespace Grantex.Core.Identity;

/// <summary>
/// How strongly the person who answered a consent was identified, in increasing order (api.md, "Who approved"):
/// <see cref="None"/> — a browser holding the consent link, nothing more; <see cref="Sso"/> — signed in at the
/// developer's OIDC identity provider as the principal; <see cref="Passkey"/> — a passkey of the principal enrolled
/// through a path the developer does not control. A developer's <c>principalAuthentication</c> is the level its
/// consents demand; a grant records the level it was approved with; verifiers can require a minimum.
/// </summary>
public enum IdentityLevel
{
    None = 0,
    Sso = 1,
    Passkey = 2,
}
