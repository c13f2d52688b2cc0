namespace Grantex.Console.Components.Pages.Developers;

/// <summary>The services behind the developer list and its dialogs.</summary>
public static class DevelopersFeature
{
    public static IServiceCollection AddDevelopersFeature(this IServiceCollection services)
    {
        services.AddScoped<DeveloperAdmin>();
        return services;
    }
}
