using System.Security.Claims;
using Grantex.Console.Components.Account;
using Grantex.Console.Infrastructure;
using Grantex.Core;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grantex.ConsoleBench;

/// <summary>The real Core and console services on a SQLite file (as the server runs them), with a signed-in administrator.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly string _directory;

    private BenchHost(ServiceProvider provider, string directory)
    {
        _provider = provider;
        _directory = directory;
    }

    public IServiceProvider Services => _provider;

    /// <summary>GRANTEX_BENCH_POSTGRES: an admin connection string (scripts/pg-throwaway.sh); the bench then runs on a new PostgreSQL database.</summary>
    public static string? Postgres => Environment.GetEnvironmentVariable("GRANTEX_BENCH_POSTGRES") is { Length: > 0 } cs ? cs : null;

    /// <summary>The PostgreSQL database of this host (null on SQLite); dropped on dispose unless GX_BENCH_KEEP is set.</summary>
    public string? Database { get; private set; }

    /// <summary>
    /// A host on a new SQLite file, or with GX_BENCH_DIR on that folder's file (kept, so a large seeded database is reused
    /// by the next run); with GRANTEX_BENCH_POSTGRES on PostgreSQL (GX_BENCH_PGDB names a database to reuse).
    /// </summary>
    public static async Task<BenchHost> StartAsync()
    {
        var reuse = Environment.GetEnvironmentVariable("GX_BENCH_DIR");
        var directory = reuse is { Length: > 0 } ? Directory.CreateDirectory(reuse).FullName : Directory.CreateTempSubdirectory("grantex-bench-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Grantex"] = $"Data Source={Path.Combine(directory, "grantex.db")}",
            ["Grantex:DataProtection:KeysPath"] = Path.Combine(directory, "keys"),
            ["Grantex:PublicBaseUrl"] = "http://localhost",
        };
        string? database = null;
        if (Postgres is { } admin)
        {
            database = Environment.GetEnvironmentVariable("GX_BENCH_PGDB") is { Length: > 0 } named ? named : "gxbench_" + Guid.NewGuid().ToString("N")[..12];
            settings["Grantex:Database:Provider"] = "PostgreSQL";
            settings["ConnectionStrings:Grantex"] = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 64 }.ConnectionString;
            settings["Grantex:DataDirectory"] = directory;
            settings.Remove("Grantex:DataProtection:KeysPath");
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddGrantexCore(configuration);
        services.AddGrantexConsole(configuration);
        services.AddScoped<AuthenticationStateProvider, FixedAuthenticationState>();
        var provider = services.BuildServiceProvider();
        await provider.InitializeGrantexAsync();
        await provider.GetRequiredService<WriteQueue>().StartAsync(CancellationToken.None);
        return new BenchHost(provider, directory) { Database = database };
    }

    /// <summary>A scope (a circuit) signed in as a new administrator.</summary>
    public async Task<IServiceProvider> SignedInAdministratorAsync()
    {
        var scope = _provider.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ConsoleAccounts>();
        var (user, error) = await accounts.CreateAsync("bench" + Guid.NewGuid().ToString("N")[..8], null, "a long enough password", ConsoleRoles.Administrator);
        if (user is null)
        {
            throw new InvalidOperationException(error);
        }

        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<GrantexUser>>().CreateAsync(user);
        ((FixedAuthenticationState)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>()).User = principal;
        return scope.ServiceProvider;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.GetRequiredService<WriteQueue>().StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        var keep = Environment.GetEnvironmentVariable("GX_BENCH_KEEP") is not null || Environment.GetEnvironmentVariable("GX_BENCH_DIR") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("GX_BENCH_PGDB") is { Length: > 0 };
        if (!keep)
        {
            Directory.Delete(_directory, recursive: true);
            if (Database is not null && Postgres is { } admin)
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await using var connection = new Npgsql.NpgsqlConnection(admin);
                await connection.OpenAsync();
                await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
        else
        {
            System.Console.WriteLine("Kept the database in " + (Database ?? _directory));
        }
    }

    private sealed class FixedAuthenticationState : AuthenticationStateProvider
    {
        public ClaimsPrincipal User { get; set; } = new(new ClaimsIdentity());

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(User));
    }
}
