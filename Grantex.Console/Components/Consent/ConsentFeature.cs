namespace Grantex.Console.Components.Consent;

/// <summary>The consent page and the consent JSON endpoints: the browser's consent session and the one decision sequence.</summary>
public static class ConsentFeature
{
    public static IServiceCollection AddConsentFeature(this IServiceCollection services)
    {
        services.AddSingleton<ConsentSession>();
        services.AddScoped<ConsentFlow>();
        return services;
    }
}
