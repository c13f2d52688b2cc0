namespace Grantex.Console.Components.Pages.Grants;

/// <summary>The services behind the grant list, grant detail and delegation tree pages.</summary>
public static class GrantsFeature
{
    public static IServiceCollection AddGrantsFeature(this IServiceCollection services)
    {
        services.AddScoped<GrantAdmin>();
        return services;
    }
}
