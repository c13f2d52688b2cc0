namespace Grantex.Core.Sso;

/// <summary>
/// <c>Grantex:Sso</c>. Identity providers are reached over https at public addresses only; the two switches exist for
/// development and tests (an IdP on http://localhost) and must stay off in production (security checklist, Outbound
/// requests).
/// </summary>
public sealed class SsoOptions
{
    public const string Section = "Grantex:Sso";

    /// <summary>Accept <c>http://</c> issuer URLs (discovery and token calls without TLS).</summary>
    public bool AllowHttpIssuers { get; set; }

    /// <summary>Allow connections to loopback, private, link-local and other non-public addresses.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long a sign-in on the consent page counts for the request it was made for.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
