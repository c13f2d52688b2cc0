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

    public static async Task<BenchHost> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("grantex-bench-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Grantex"] = $"Data Source={Path.Combine(directory, "grantex.db")}",
            ["Grantex:DataProtection:KeysPath"] = Path.Combine(directory, "keys"),
            ["Grantex:PublicBaseUrl"] = "http://localhost",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddGrantexCore(configuration);
        services.AddGrantexConsole(configuration);
        services.AddScoped<AuthenticationStateProvider, FixedAuthenticationState>();
        var provider = services.BuildServiceProvider();
        await provider.InitializeGrantexAsync();
        await provider.GetRequiredService<WriteQueue>().StartAsync(CancellationToken.None);
        return new BenchHost(provider, directory);
    }

    /// <summary>A scope (a circuit) signed in as a new administrator.</summary>
    public async Task<IServiceProvider> SignedInAdministratorAsync()
    {
        var scope = _provider.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ConsoleAccounts>();
        var (user, error) = await accounts.CreateAsync("bench", null, "a long enough password", ConsoleRoles.Administrator);
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
        if (Environment.GetEnvironmentVariable("GX_BENCH_KEEP") is null)
        {
            Directory.Delete(_directory, recursive: true);
        }
        else
        {
            System.Console.WriteLine("Kept the database in " + _directory);
        }
    }

    private sealed class FixedAuthenticationState : AuthenticationStateProvider
    {
        public ClaimsPrincipal User { get; set; } = new(new ClaimsIdentity());

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(User));
    }
}
