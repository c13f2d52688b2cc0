namespace Grantex.Console.Components.Account;

/// <summary>
/// <c>Grantex:Console:Oidc</c>: optional sign-in to the console through an OpenID Connect provider (authorization
/// code + PKCE). People signing in this way get a console account linked to the provider's subject, and their role
/// is taken from the provider at every sign-in: the values of <see cref="RoleClaim"/> are mapped through
/// <see cref="RoleMap"/> (or used as-is when they already are console role names), else <see cref="DefaultRole"/>;
/// with no role the sign-in is refused.
/// </summary>
public sealed class ConsoleOidcOptions
{
    public const string Section = "Grantex:Console:Oidc";
    public const string Scheme = "oidc";

    public bool Enabled { get; set; }

    /// <summary>The sign-in button reads "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>The issuer URL (its /.well-known/openid-configuration is read).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Scopes to ask for; empty means openid, profile and email.</summary>
    public string[] Scopes { get; set; } = [];

    /// <summary>The id-token claim whose values carry the person's roles or groups.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Provider role or group value → console role (Administrator, ComplianceOfficer, Viewer).</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The role for people with no mapped role; null (the default) refuses them.</summary>
    public string? DefaultRole { get; set; }

    /// <summary>The claim used as the console user name (falls back to email, then the subject).</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    public string CallbackPath { get; set; } = "/signin-oidc";

    /// <summary>Only for a provider on http://localhost in development and tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
