namespace Grantex.Console.Components.Pages.Overview;

/// <summary>The services behind the overview page.</summary>
public static class OverviewFeature
{
    public static IServiceCollection AddOverviewFeature(this IServiceCollection services)
    {
        services.AddScoped<OverviewAdmin>();
        return services;
    }
}
