namespace Grantex.Core.Passkeys;

/// <summary>
/// Settings under <c>Grantex:Passkeys</c>. WebAuthn ties a passkey to a relying-party id (a registrable domain such as
/// <c>example.com</c>; an IP address is refused by browsers) and accepts ceremonies only from the origins listed here.
/// Both default from <c>Grantex:PublicBaseUrl</c>.
/// </summary>
public sealed class GrantexPasskeyOptions
{
    public const string Section = "Grantex:Passkeys";

    /// <summary>The relying-party id (default: the host of PublicBaseUrl). Passkeys registered under one id work only under it.</summary>
    public string? ServerDomain { get; set; }

    /// <summary>
    /// Origins whose pages may run a ceremony (default: the origin of PublicBaseUrl, where the consent page lives). Add the
    /// origin of a developer's app that enrols passkeys through <c>/v1/webauthn/register/*</c>; its host must be the
    /// relying-party id or a subdomain of it.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long a challenge stays usable (default 5 minutes; it is also the browser's timeout hint).</summary>
    public TimeSpan CeremonyLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an administrator's one-time enrolment link can be used (default 15 minutes, at most a day).</summary>
    public TimeSpan EnrolmentLinkLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
