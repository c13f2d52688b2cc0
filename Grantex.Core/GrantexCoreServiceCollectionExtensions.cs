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
using Microsoft.EntityFrameworkCore.Diagnostics;
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
        services.TryAddSingleton(configuration);

        // Read from the built host's configuration (not the builder's), so a test host can point them elsewhere;
        // a plain service collection without a host falls back to the configuration given here.
        services.TryAddSingleton(sp => DatabaseProvider(sp.GetService<IConfiguration>() ?? configuration));
        services.AddPooledDbContextFactory<GrantexDbContext>((sp, options) =>
        {
            sp.GetRequiredService<IDatabaseProvider>().Configure(options);

            // Migrate skips EF's start-up diff of the model against the migrations' snapshot (it builds a second,
            // design-time model from OnModelCreating: a large share of a first start's CPU). The check itself is not
            // dropped: MigrationSnapshotTests make it for each engine, as `dotnet ef migrations has-pending-model-changes` does.
            options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        });
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
        services.AddSingleton<ClusterNotifications>();
        services.AddSingleton<ChangeRelay>();
        services.AddSingleton<EventRelay>();
        services.AddSingleton<RevocationSync>();
        services.AddSingleton<WriteQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<WriteQueue>());
        services.AddSingleton<WalCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<WalCheckpointer>());
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

    /// <summary>
    /// Migrates the database (unless <c>Grantex:Database:AutoMigrate</c> is false: then it only checks that no migration
    /// is pending), loads (or creates) the signing keys, joins the cluster's notifications and loads the revocation index.
    /// </summary>
    public static async Task InitializeGrantexAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        Directory.CreateDirectory(DataDirectory(configuration));
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GrantexDbContext>();
            var provider = services.GetRequiredService<IDatabaseProvider>();
            if (DatabaseOptions.From(configuration).AutoMigrate)
            {
                await DatabaseInitializer.MigrateAsync(db, provider, cancellationToken);
            }
            else
            {
                await DatabaseInitializer.RequireMigratedAsync(db, cancellationToken);
            }
        }

        await services.GetRequiredService<SigningKeyStore>().InitializeAsync(cancellationToken);

        // Several nodes (PostgreSQL): listen first, then load, so nothing committed in between is missed.
        services.GetRequiredService<RevocationSync>().Attach();
        services.GetRequiredService<ChangeRelay>().Attach();
        await services.GetRequiredService<EventRelay>().AttachAsync(cancellationToken);
        await services.GetRequiredService<ClusterNotifications>().StartAsync(cancellationToken);
        await services.GetRequiredService<RevocationIndex>().LoadAsync(cancellationToken);
    }

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Grantex") ?? "Data Source=data/grantex.db";

    /// <summary>The engine <c>Grantex:Database:Provider</c> names, over <c>ConnectionStrings:Grantex</c>.</summary>
    public static IDatabaseProvider DatabaseProvider(IConfiguration configuration)
    {
        var options = DatabaseOptions.From(configuration);
        if (options.Provider == DatabaseProviderKind.Sqlite)
        {
            return new SqliteDatabaseProvider(ConnectionString(configuration));
        }

        var connection = configuration.GetConnectionString("Grantex");
        return string.IsNullOrWhiteSpace(connection)
            ? throw new InvalidOperationException("Grantex:Database:Provider is PostgreSQL but ConnectionStrings:Grantex is empty; set it to e.g. Host=db;Database=grantex;Username=grantex;Password=...")
            : new PostgresDatabaseProvider(connection);
    }

    /// <summary>
    /// Where the Data Protection key ring lives on disk: <c>Grantex:DataProtection:KeysPath</c>, else beside the data
    /// (on PostgreSQL the ring is kept in the database unless a path is set; see <see cref="KeyRingProtection"/>).
    /// </summary>
    public static string DataProtectionKeysPath(IConfiguration configuration) =>
        configuration[KeyRingProtection.KeysPathKey] ?? Path.Combine(DataDirectory(configuration), "keys");

    /// <summary>
    /// The server's own folder (checkpoint journal, first-run set-up code, a file key ring): <c>Grantex:DataDirectory</c>,
    /// else the folder of the SQLite file, else <c>data</c> under the working directory.
    /// </summary>
    public static string DataDirectory(IConfiguration configuration)
    {
        if (configuration["Grantex:DataDirectory"] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        return DatabaseOptions.From(configuration).Provider == DatabaseProviderKind.Sqlite
            ? DataDirectory(ConnectionString(configuration))
            : Path.GetFullPath("data");
    }

    /// <summary>The folder of the SQLite file.</summary>
    public static string DataDirectory(string connectionString)
    {
        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(string.IsNullOrEmpty(source) ? "grantex.db" : source));
        return string.IsNullOrEmpty(directory) ? Directory.GetCurrentDirectory() : directory;
    }
}
