namespace Grantex.Console.Components.Pages.Anomalies;

/// <summary>The services behind the anomalies page.</summary>
public static class AnomaliesFeature
{
    public static IServiceCollection AddAnomaliesFeature(this IServiceCollection services)
    {
        services.AddScoped<AnomalyAdmin>();
        return services;
    }
}
