using Grantex.Console.Components.Consent.Sso;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Consent;

/// <summary>
/// The consent page and the consent JSON endpoints: the browser's consent session, the one decision sequence, and
/// the sign-in at the developer's identity provider (one OpenIdConnect scheme per SSO connection, made on demand).
/// </summary>
public static class ConsentFeature
{
    /// <summary>Call after the account feature (it adds authentication, whose scheme provider this replaces).</summary>
    public static IServiceCollection AddConsentFeature(this IServiceCollection services)
    {
        services.AddSingleton<ConsentSession>();
        services.AddScoped<ConsentFlow>();
        services.AddSingleton<ConsentSsoCookie>();
        services.AddSingleton<ConsentSsoConnections>();
        services.AddScoped<ConsentSsoEvents>();
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, ConsentSsoOptionsSetup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, ConsentSsoSchemes>());
        return services;
    }
}
