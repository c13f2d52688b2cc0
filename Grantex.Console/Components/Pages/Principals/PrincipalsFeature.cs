namespace Grantex.Console.Components.Pages.Principals;

/// <summary>The services behind the Principals screen.</summary>
public static class PrincipalsFeature
{
    public static IServiceCollection AddPrincipalsFeature(this IServiceCollection services)
    {
        services.AddScoped<PrincipalAdmin>();
        return services;
    }
}
