using Grantex.Core;
using Grantex.Core.Agents;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Benchmarks;

/// <summary>
/// Grantex.Core in process, as the server runs it (real clock, durable SQLite file in a temporary folder). With
/// <c>GRANTEX_BENCH_POSTGRES</c> set to an admin connection string (scripts/pg-throwaway.sh prints one) it runs on
/// PostgreSQL instead, in a new database dropped afterwards; <see cref="StartNodeAsync"/> starts a second node on it.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "grantex-bench-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider? _services;
    private string? _ownDatabase;

    public static string? Postgres => Environment.GetEnvironmentVariable("GRANTEX_BENCH_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public static string Engine => Postgres is null ? "SQLite" : "PostgreSQL";

    /// <summary>The PostgreSQL database of this host (null on SQLite).</summary>
    public string? Database { get; private set; }

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("Not started.");

    public string DatabasePath => Path.Combine(_directory, "grantex.db");

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static Task<BenchHost> StartAsync() => StartNodeAsync(null);

    /// <summary>A host on <paramref name="database"/> (another host's PostgreSQL database: a second node), or a new one.</summary>
    public static async Task<BenchHost> StartNodeAsync(string? database)
    {
        var host = new BenchHost();
        Directory.CreateDirectory(host._directory);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Grantex"] = $"Data Source={host.DatabasePath}",
            ["Grantex:DataProtection:KeysPath"] = Path.Combine(host._directory, "keys"),
            ["Grantex:PublicBaseUrl"] = "http://127.0.0.1:5080",
        };
        if (Postgres is { } admin)
        {
            host.Database = database ?? (host._ownDatabase = "gxbench_" + Guid.NewGuid().ToString("N")[..12]);
            settings["Grantex:Database:Provider"] = "PostgreSQL";
            settings["ConnectionStrings:Grantex"] = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = host.Database, MaxPoolSize = 64 }.ConnectionString;
            settings["Grantex:DataDirectory"] = host._directory;
            settings.Remove("Grantex:DataProtection:KeysPath");
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGrantexCore(configuration);
        host._services = services.BuildServiceProvider();
        await host._services.InitializeGrantexAsync();
        await host.Get<WriteQueue>().StartAsync(CancellationToken.None);
        return host;
    }

    public async Task<GrantexDbContext> DbAsync() => await Get<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();

    public async Task<ApiKeyCaller> DeveloperAsync()
    {
        var created = Ok(await Get<DeveloperService>().CreateAsync("Bench", DeveloperMode.Sandbox));
        return (await Get<DeveloperService>().AuthenticateAsync(created.ApiKey))!;
    }

    public async Task<Agent> AgentAsync(ApiKeyCaller caller) =>
        Ok(await Get<AgentService>().CreateAsync(caller.Developer.Id, new AgentInput("Bench agent", null, null, null), caller.Actor));

    public static T Ok<T>(Result<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"{result.Error.Code}: {result.Error.Message}");

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await Get<WriteQueue>().StopAsync(CancellationToken.None);
            await _services.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        if (_ownDatabase is not null && Postgres is { } admin)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var connection = new Npgsql.NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_ownDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
