using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Core.Compliance;

public static class ComplianceServiceCollectionExtensions
{
    /// <summary>Reports, exports, audit packs and chain checkpoints (with their schedule).</summary>
    public static IServiceCollection AddGrantexCompliance(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ComplianceOptions>().Bind(configuration.GetSection(ComplianceOptions.Section));
        services.AddSingleton<CheckpointService>();
        services.AddSingleton<ComplianceService>();
        services.AddSingleton<AuditPackWriter>();
        services.AddHostedService<CheckpointBackgroundService>();
        return services;
    }
}
