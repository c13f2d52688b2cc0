using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grantex.Core.Compliance;

public static class ComplianceServiceCollectionExtensions
{
    /// <summary>Reports, exports, audit packs and chain checkpoints (with their schedule).</summary>
    public static IServiceCollection AddGrantexCompliance(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ComplianceOptions>().Bind(configuration.GetSection(ComplianceOptions.Section));
        services.AddSingleton(sp => new CheckpointJournal(
            (sp.GetService<IConfiguration>() ?? configuration)[CheckpointJournal.DirectorySetting] is { Length: > 0 } directory
                ? directory
                : Path.Combine(GrantexCoreServiceCollectionExtensions.DataDirectory(sp.GetService<IConfiguration>() ?? configuration), "checkpoints"),
            sp.GetRequiredService<ILogger<CheckpointJournal>>()));
        services.AddSingleton<CheckpointService>();
        services.AddSingleton<ComplianceService>();
        services.AddSingleton<AuditPackWriter>();
        services.AddHostedService<CheckpointBackgroundService>();
        return services;
    }
}
