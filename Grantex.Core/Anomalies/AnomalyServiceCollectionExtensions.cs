using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Core.Anomalies;

public static class AnomalyServiceCollectionExtensions
{
    /// <summary>Detection (on demand and in the background), the list and acknowledgement.</summary>
    public static IServiceCollection AddGrantexAnomalies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AnomalyOptions>().Bind(configuration.GetSection(AnomalyOptions.Section));
        services.AddSingleton<AnomalyRecorder>();
        services.AddSingleton<AnomalyService>();
        services.AddSingleton<AnomalyDetector>();
        services.AddHostedService(sp => sp.GetRequiredService<AnomalyDetector>());
        return services;
    }
}
