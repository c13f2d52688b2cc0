using Grantex.Core.Grants;
using Grantex.Core.Agents;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Grantex.Core.Tokens;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Grantex.Core.Tests.Infrastructure;

/// <summary>
/// Grantex.Core in process over a real SQLite file in a temporary folder, with the single writer running and a
/// fake clock. One per test class (xunit class fixture); each test makes its own developer, so chains don't mix.
/// </summary>
public sealed class CoreHost : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "grantex-core-tests-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider? _services;

    public FakeTimeProvider Clock { get; } = new(Start);

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("The host has not started.");

    public string DatabasePath => Path.Combine(_directory, "grantex.db");

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Grantex"] = $"Data Source={DatabasePath}",
            ["Grantex:DataProtection:KeysPath"] = Path.Combine(_directory, "keys"),
            ["Grantex:PublicBaseUrl"] = "https://grantex.test",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddGrantexCore(configuration);
        _services = services.BuildServiceProvider();
        await _services.InitializeGrantexAsync();
        await Get<WriteQueue>().StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await Get<WriteQueue>().StopAsync(CancellationToken.None);
            await _services.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    public async Task<GrantexDbContext> DbAsync() => await Get<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();

    /// <summary>A new developer, authenticated as its API key would be.</summary>
    public async Task<ApiKeyCaller> DeveloperAsync(DeveloperMode mode = DeveloperMode.Sandbox)
    {
        var created = Ok(await Get<DeveloperService>().CreateAsync("Dev " + Guid.NewGuid().ToString("N")[..8], mode));
        return await Get<DeveloperService>().AuthenticateAsync(created.ApiKey) ?? throw new InvalidOperationException("The new key did not authenticate.");
    }

    public async Task<Agent> AgentAsync(ApiKeyCaller caller, string name = "Agent") =>
        Ok(await Get<AgentService>().CreateAsync(caller.Developer.Id, new AgentInput(name, null, null, null), caller.Actor));

    /// <summary>A root grant through the sandbox flow: authorize (code at once), then exchange.</summary>
    public async Task<IssuedGrantToken> GrantAsync(ApiKeyCaller caller, Agent agent, string[] scopes, string expiresIn = "24h")
    {
        var authorized = Ok(await Get<AuthorizationService>().AuthorizeAsync(caller,
            new AuthorizeInput(agent.Id, "user_1", scopes, null, null, expiresIn, null, null, null)));
        return Ok(await Get<ExchangeService>().ExchangeAsync(caller, authorized.Code, agent.Id, null));
    }

    public static T Ok<T>(Result<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"{result.Error.Code}: {result.Error.Message}");
}
