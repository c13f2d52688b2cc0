namespace Grantex.Core.Sso;

/// <summary>
/// A developer's OpenID Connect identity provider (wire format §7.6): where the consent page sends a person to sign
/// in when the developer's <c>principalAuthentication</c> is <c>sso</c>. The client secret is stored only as a Data
/// Protection blob and never returned. The reference's single legacy config (<c>/v1/sso/config</c>) is a connection
/// too, flagged <see cref="IsLegacyConfig"/>, so one sign-in path serves both.
/// </summary>
public sealed class SsoConnection
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string Name { get; set; }

    /// <summary>Always <c>oidc</c> here (SAML and LDAP are refused at creation).</summary>
    public string Protocol { get; init; } = "oidc";

    public SsoConnectionStatus Status { get; set; }

    public required string IssuerUrl { get; set; }

    public required string ClientId { get; set; }

    /// <summary>The client secret, encrypted with Data Protection (<see cref="SsoSecrets"/>).</summary>
    public required string ClientSecretProtected { get; set; }

    /// <summary>Email domains: a principal's domain picks the connection, and a signed-in person's email must be in one (empty: any).</summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>The ID-token claim that must equal the request's principalId: email, preferred_username or sub.</summary>
    public string PrincipalClaim { get; set; } = "email";

    /// <summary>The legacy <c>/v1/sso/config</c> row (one per developer).</summary>
    public bool IsLegacyConfig { get; init; }

    /// <summary>The legacy config's <c>redirectUri</c>, kept and returned as given.</summary>
    public string? RedirectUri { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }
}
