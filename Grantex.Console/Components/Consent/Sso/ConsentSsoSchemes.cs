using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Consent.Sso;

/// <summary>
/// One OpenIdConnect authentication scheme per SSO connection (<c>gx-sso:{connectionId}</c>), made on demand: the
/// scheme provider answers for those names without registering them, so Microsoft's OpenIdConnect handler runs per
/// connection with its own named <see cref="OpenIdConnectOptions"/> (<see cref="ConsentSsoOptionsSetup"/>) — state,
/// nonce, PKCE and ID-token validation are the handler's — while the authentication middleware does not offer every
/// developer's callback to every request: a connection's callback path is handled by its own endpoint
/// (<see cref="ConsentSsoEndpoints"/>), which asks for exactly that scheme.
/// </summary>
public sealed class ConsentSsoSchemes(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
{
    public const string Prefix = "gx-sso:";

    public static string SchemeFor(string connectionId) => Prefix + connectionId;

    public static string? ConnectionOf(string schemeName) =>
        schemeName.StartsWith(Prefix, StringComparison.Ordinal) ? schemeName[Prefix.Length..] : null;

    public static string CallbackPath(string connectionId) => "/sso/oidc/callback/" + connectionId;

    public override Task<AuthenticationScheme?> GetSchemeAsync(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal)
            ? Task.FromResult<AuthenticationScheme?>(new AuthenticationScheme(name, name, typeof(OpenIdConnectHandler)))
            : base.GetSchemeAsync(name);
}
