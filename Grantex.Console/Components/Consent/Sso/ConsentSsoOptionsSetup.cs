using Grantex.Core.Sso;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Grantex.Console.Components.Consent.Sso;

/// <summary>
/// The <see cref="OpenIdConnectOptions"/> of one connection's scheme: authorization code with PKCE, nonce, the
/// provider's discovery document and keys fetched through <see cref="SsoHttp"/> (public addresses only), response in
/// the query (so the correlation and nonce cookies can be SameSite=Lax), no claims mapping, nothing saved.
/// Microsoft's post-configuration then adds the state protection and the configuration manager.
/// </summary>
public sealed class ConsentSsoOptionsSetup(ConsentSsoConnections connections, SsoHttp http, IOptions<SsoOptions> sso) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(OpenIdConnectOptions options)
    {
        // Only named (per-connection) options are configured here.
    }

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name is null || ConsentSsoSchemes.ConnectionOf(name) is not { } connectionId)
        {
            return;
        }

        var (connection, secret) = connections.Get(connectionId);
        options.Authority = connection.IssuerUrl;
        options.ClientId = connection.ClientId;
        options.ClientSecret = secret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.CallbackPath = ConsentSsoSchemes.CallbackPath(connectionId);
        options.SignInScheme = IdentityConstants.ExternalScheme;
        options.RequireHttpsMetadata = !sso.Value.AllowHttpIssuers;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.SaveTokens = false;
        options.DisableTelemetry = true;
        options.Backchannel = http.CreateClient();
        options.BackchannelTimeout = SsoHttp.Timeout;
        options.Scope.Clear();
        options.Scope.Add("openid");
        options.Scope.Add("profile");
        options.Scope.Add("email");
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.RemoteAuthenticationTimeout = sso.Value.SignInLifetime;
        options.EventsType = typeof(ConsentSsoEvents);
    }
}
