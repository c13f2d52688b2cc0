using Grantex.Core.Agents;
using Grantex.Core.Anomalies;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Compliance;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Events;
using Grantex.Core.Grants;
using Grantex.Core.Keys;
using Grantex.Core.OAuth;
using Grantex.Core.Passkeys;
using Grantex.Core.Persistence;
using Grantex.Core.Policies;
using Grantex.Core.Principals;
using Grantex.Core.Sso;
using Grantex.Core.Telemetry;
using Grantex.Core.Tokens;
using Grantex.Core.Webhooks;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Grantex.Core;

public static class GrantexCoreServiceCollectionExtensions
{
    /// <summary>Registers the protocol: storage (SQLite by default), the writer, keys, and every service.</summary>
    public static IServiceCollection AddGrantexCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GrantexOptions>().Bind(configuration.GetSection(GrantexOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<GrantexMetrics>();

        // Read from the built host's configuration (not the builder's), so a test host can point them elsewhere;
        // a plain service collection without a host falls back to the configuration given here.
        services.AddPooledDbContextFactory<GrantexDbContext>((sp, options) => options
            .UseSqlite(ConnectionString(sp.GetService<IConfiguration>() ?? configuration))
            .AddInterceptors(new SqlitePragmaInterceptor()));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContext());
        services.AddIdentityCore<GrantexUser>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<GrantexDbContext>();

        KeyRingProtection.Add(services, configuration, DataProtectionKeysPath);

        services.AddSingleton<ChangeNotifier>();
        services.AddSingleton<AuditChainHeads>();
        services.AddSingleton<EventBus>();
        services.AddSingleton<EventLog>();
        services.AddOptions<EventStreamOptions>().Bind(configuration.GetSection(EventStreamOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EventStreams>();
        services.AddSingleton<WriteQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<WriteQueue>());
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<RevocationIndex>();
        services.AddSingleton<GrantTokenIssuer>();
        services.AddSingleton<TokenMinter>();
        services.AddSingleton<GrantRevoker>();
        services.AddSingleton<DeveloperService>();
        services.AddSingleton<AgentService>();
        services.AddSingleton<AuthorizationService>();
        services.AddSingleton<ConsentService>();
        services.AddSingleton<ConsentPresenceService>();
        services.AddSingleton<ExchangeService>();
        services.AddSingleton<GrantTokenService>();
        services.AddSingleton<GrantService>();
        services.AddSingleton<DelegationService>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<PolicyService>();
        services.AddSingleton<PolicyEnforcement>();
        services.AddSingleton<PolicySetCache>();
        services.AddSingleton<ScimTokenService>();
        services.AddSingleton<PrincipalDirectory>();
        services.AddSingleton<PrincipalSessionTokens>();
        services.AddSingleton<PrincipalPortal>();
        services.AddOptions<SsoOptions>().Bind(configuration.GetSection(SsoOptions.Section));
        services.AddOptions<OAuthOptions>().Bind(configuration.GetSection(OAuthOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Registration != OAuthRegistrationMode.Open || !string.IsNullOrEmpty(o.OpenRegistrationDeveloperId),
                "Grantex:OAuth:Registration is open: set Grantex:OAuth:OpenRegistrationDeveloperId to the developer that registered clients join.")
            .ValidateOnStart();
        services.AddSingleton<OAuthRegistrationService>();
        services.AddSingleton<OAuthAuthorizationService>();
        services.AddSingleton<OAuthTokenService>();
        services.AddSingleton<SsoSecrets>();
        services.AddSingleton<SsoHttp>();
        services.AddSingleton<SsoDiscovery>();
        services.AddSingleton<SsoService>();
        services.AddGrantexPasskeys(configuration);
        services.AddHostedService<MaintenanceService>();
        services.AddHostedService<RevocationIndexPruner>();
        services.AddGrantexCompliance(configuration);
        services.AddGrantexWebhooks(configuration);
        services.AddGrantexAnomalies(configuration);
        return services;
    }

    /// <summary>Migrates the database, loads (or creates) the signing keys and the revocation index.</summary>
    public static async Task InitializeGrantexAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            await DatabaseInitializer.MigrateAsync(scope.ServiceProvider.GetRequiredService<GrantexDbContext>(), cancellationToken);
        }

        await services.GetRequiredService<SigningKeyStore>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<RevocationIndex>().LoadAsync(cancellationToken);
    }

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Grantex") ?? "Data Source=data/grantex.db";

    /// <summary>Where the Data Protection key ring lives: <c>Grantex:DataProtection:KeysPath</c>, else beside the database.</summary>
    public static string DataProtectionKeysPath(IConfiguration configuration) =>
        configuration[KeyRingProtection.KeysPathKey] ?? Path.Combine(DataDirectory(ConnectionString(configuration)), "keys");

    /// <summary>The folder of the SQLite file (where the Data Protection key ring goes unless configured elsewhere).</summary>
    public static string DataDirectory(string connectionString)
    {
        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(string.IsNullOrEmpty(source) ? "grantex.db" : source));
        return string.IsNullOrEmpty(directory) ? Directory.GetCurrentDirectory() : directory;
    }
}
