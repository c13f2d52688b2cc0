using Grantex.Core.Sso;

namespace Grantex.Console.Api.Contracts;

/// <summary><c>POST /v1/sso/config</c> (wire format §7.6, legacy single config).</summary>
public sealed record SsoConfigRequest(string? IssuerUrl, string? ClientId, string? ClientSecret, string? RedirectUri);

/// <summary>
/// The legacy config as returned (never the secret). <c>callbackUrl</c> is ours: the redirect URI to register at the
/// provider, where this server's OpenIdConnect handler completes the sign-in.
/// </summary>
public sealed record SsoConfigResponse(string IssuerUrl, string ClientId, string? RedirectUri, string CallbackUrl, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static SsoConfigResponse From(SsoConnection c, string issuer) =>
        new(c.IssuerUrl, c.ClientId, c.RedirectUri, SsoConnectionResponse.CallbackUrlFor(c, issuer), c.CreatedAt, c.UpdatedAt);
}

/// <summary><c>POST/PATCH /v1/sso/connections</c>; SAML and LDAP fields are not read (those protocols are refused).</summary>
public sealed record SsoConnectionRequest(
    string? Name, string? Protocol, string? IssuerUrl, string? ClientId, string? ClientSecret, List<string?>? Domains, string? PrincipalClaim, string? Status)
{
    public SsoConnectionInput ToInput() => new()
    {
        Name = Name, Protocol = Protocol, IssuerUrl = IssuerUrl, ClientId = ClientId, ClientSecret = ClientSecret, Domains = Domains, PrincipalClaim = PrincipalClaim, Status = Status,
    };
}

/// <summary>A connection in the reference's shape (secrets never returned), plus <c>principalClaim</c> and <c>callbackUrl</c>.</summary>
public sealed record SsoConnectionResponse(
    string Id, string DeveloperId, string Name, string Protocol, string Status, string IssuerUrl, string ClientId, IReadOnlyList<string> Domains,
    string PrincipalClaim, string CallbackUrl, bool JitProvisioning, bool Enforce, string? GroupAttribute, IReadOnlyDictionary<string, string[]> GroupMappings,
    IReadOnlyList<string> DefaultScopes, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static SsoConnectionResponse From(SsoConnection c, string issuer) => new(
        c.Id, c.DeveloperId, c.Name, c.Protocol, c.Status.ToString().ToLowerInvariant(), c.IssuerUrl, c.ClientId, c.Domains, c.PrincipalClaim,
        CallbackUrlFor(c, issuer), false, false, null, new Dictionary<string, string[]>(), [], c.CreatedAt, c.UpdatedAt);

    public static string CallbackUrlFor(SsoConnection c, string issuer) => issuer + "/sso/oidc/callback/" + c.Id;
}

public sealed record SsoConnectionListResponse(IReadOnlyList<SsoConnectionResponse> Connections);

/// <summary><c>POST /v1/sso/connections/{id}/test</c>: 200 when discovery looks right, else 422 with each problem.</summary>
public sealed record SsoTestResponse(bool Success, string Protocol, string DiscoveryUrl, string? Issuer, string? AuthorizationEndpoint, string? TokenEndpoint, IReadOnlyList<string> Problems, string Message)
{
    public static SsoTestResponse From(SsoTestResult r) => new(r.Success, "oidc", r.DiscoveryUrl, r.Issuer, r.AuthorizationEndpoint, r.TokenEndpoint, r.Problems,
        r.Success ? "The identity provider's discovery document is usable." : string.Join(" ", r.Problems));
}
