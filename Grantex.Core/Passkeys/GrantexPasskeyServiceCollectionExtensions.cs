using Grantex.Core.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Passkeys;

public static class GrantexPasskeyServiceCollectionExtensions
{
    /// <summary>
    /// Principal passkeys on ASP.NET Core Identity's <see cref="PasskeyHandler{TUser}"/>, with its own
    /// <see cref="IdentityPasskeyOptions"/> (relying-party id and allowed origins from <c>Grantex:Passkeys</c>, user
    /// verification required, no attestation requested) so other Identity users of the app keep their settings.
    /// </summary>
    public static IServiceCollection AddGrantexPasskeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GrantexPasskeyOptions>().Bind(configuration.GetSection(GrantexPasskeyOptions.Section));
        services.AddSingleton<PrincipalPasskeyStore>();
        services.AddSingleton<PrincipalUserManager>();
        services.AddSingleton<IPasskeyHandler<PasskeyPrincipal>>(sp => new PasskeyHandler<PasskeyPrincipal>(
            sp.GetRequiredService<PrincipalUserManager>(),
            Options.Create(IdentityOptionsFor(sp.GetRequiredService<IOptions<GrantexPasskeyOptions>>().Value, sp.GetRequiredService<IOptions<GrantexOptions>>().Value))));
        services.AddSingleton<PasskeyService>();
        services.AddSingleton<PasskeyEnrolmentLinks>();
        return services;
    }

    /// <summary>The relying-party id: <c>Grantex:Passkeys:ServerDomain</c>, else the host of the public base URL.</summary>
    public static string ServerDomain(GrantexPasskeyOptions passkeys, GrantexOptions grantex) =>
        string.IsNullOrWhiteSpace(passkeys.ServerDomain) ? new Uri(grantex.Issuer).Host : passkeys.ServerDomain.Trim();

    /// <summary>Origins allowed to run ceremonies: <c>Grantex:Passkeys:AllowedOrigins</c>, else the origin of the public base URL.</summary>
    public static IReadOnlySet<string> AllowedOrigins(GrantexPasskeyOptions passkeys, GrantexOptions grantex)
    {
        var origins = passkeys.AllowedOrigins.Count > 0 ? passkeys.AllowedOrigins : [grantex.Issuer];
        return origins.Select(o => new Uri(o).GetLeftPart(UriPartial.Authority)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static IdentityPasskeyOptions IdentityOptionsFor(GrantexPasskeyOptions passkeys, GrantexOptions grantex)
    {
        var origins = AllowedOrigins(passkeys, grantex);
        return new IdentityPasskeyOptions
        {
            ServerDomain = ServerDomain(passkeys, grantex),
            UserVerificationRequirement = "required",
            ResidentKeyRequirement = "preferred",
            AttestationConveyancePreference = "none",
            AuthenticatorTimeout = passkeys.CeremonyLifetime,
            ValidateOrigin = context => ValueTask.FromResult(!context.CrossOrigin && origins.Contains(context.Origin)),
        };
    }
}
