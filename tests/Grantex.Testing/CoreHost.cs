using System.Text.Json;
using Grantex.Core.Grants;
using Grantex.Core;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Compliance;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Keys;
using Grantex.Core.Persistence;
using Grantex.Core.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Grantex.Core.Jose;

namespace Grantex.Testing;

/// <summary>
/// The real Grantex.Core services in process over a fresh SQLite file in a temporary folder: migrated, keys loaded, the
/// single writer running, and a <see cref="FakeTimeProvider"/> that tests move by hand. One per test class (xunit class
/// fixture); each test makes its own developer, so chains don't mix.
/// </summary>
public sealed class CoreHost : IAsyncLifetime
{
    private readonly string _directory = TestSettings.NewDirectory("grantex-core-");
    private ServiceProvider? _services;

    public FakeTimeProvider Time { get; } = new(TestSettings.Start);

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("The host has not started.");

    public string DatabasePath => TestSettings.DatabasePath(_directory);

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddGrantexCore(TestSettings.Configuration(_directory, "https://grantex.test"));
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

        TestSettings.DeleteDirectory(_directory);
    }

    public async Task<GrantexDbContext> DbAsync() => await Get<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();

    /// <summary>A new developer, authenticated as its API key would be.</summary>
    public async Task<ApiKeyCaller> DeveloperAsync(DeveloperMode mode = DeveloperMode.Sandbox)
    {
        var created = Ok(await Get<DeveloperService>().CreateAsync("Dev " + Guid.NewGuid().ToString("N")[..8], mode));
        return await Get<DeveloperService>().AuthenticateAsync(created.ApiKey) ?? throw new InvalidOperationException("The new key did not authenticate.");
    }

    /// <summary>A new developer named <paramref name="name"/>, acting through the key id "key_test".</summary>
    public async Task<ApiKeyCaller> CreateDeveloperAsync(string name = "Acme", DeveloperMode mode = DeveloperMode.Sandbox)
    {
        var created = await Get<DeveloperService>().CreateAsync(name, mode);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return new ApiKeyCaller(created.Value.Developer, "key_test");
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

    /// <summary>A real grant: an agent ("Travel agent", read and write), a sandbox authorization for read, the code exchanged.</summary>
    public async Task<IssuedGrantToken> CreateGrantAsync(ApiKeyCaller caller, string principal = "user_1", string? agentId = null)
    {
        if (agentId is null)
        {
            var agent = await Get<AgentService>().CreateAsync(caller.Developer.Id, new AgentInput("Travel agent", "Books trips", ["read", "write"], null), caller.Actor);
            Assert.True(agent.IsSuccess, agent.Error?.Message);
            agentId = agent.Value.Id;
        }

        var authorized = await Get<AuthorizationService>().AuthorizeAsync(caller, new AuthorizeInput(agentId, principal, ["read"], null, null, "1h", null, null, null));
        Assert.True(authorized.IsSuccess, authorized.Error?.Message);
        var token = await Get<ExchangeService>().ExchangeAsync(caller, authorized.Value.Code, agentId, null);
        Assert.True(token.IsSuccess, token.Error?.Message);
        return token.Value;
    }

    /// <summary>Logs <paramref name="count"/> entries through the real audit service (the developer's chain already holds one).</summary>
    public async Task<List<AuditEntry>> LogAsync(ApiKeyCaller caller, int count, string action = "tool.invoked", string? metadataJson = null, string agentId = "ag_1")
    {
        var entries = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
        {
            using var metadata = JsonDocument.Parse(metadataJson ?? $"{{\"n\":{i}}}");
            var result = await Get<AuditService>().LogAsync(caller, new AuditLogInput(agentId, "did:grantex:" + agentId, "grnt_1", "user_1", action, null, metadata.RootElement.Clone()));
            Assert.True(result.IsSuccess, result.Error?.Message);
            entries.Add(result.Value);
        }

        return entries;
    }

    public async Task<AuditCheckpoint> CheckpointAsync(ApiKeyCaller caller)
    {
        var checkpoint = await Get<CheckpointService>().CreateAsync(caller.Developer.Id);
        Assert.True(checkpoint.IsSuccess, checkpoint.Error?.Message);
        return checkpoint.Value;
    }

    /// <summary>Streams an audit pack into memory, as the API does into a response body.</summary>
    public async Task<byte[]> PackAsync(ApiKeyCaller caller, ComplianceFilter? filter = null)
    {
        using var output = new AsyncOnlyStream();
        await Get<AuditPackWriter>().WriteAsync(caller.Developer.Id, filter ?? ComplianceFilter.None, output, caller.Actor);
        return output.ToArray();
    }

    /// <summary>The server's JWKS document, as /.well-known/jwks.json serves it.</summary>
    public string Jwks() => JwksKeys.Document(Get<SigningKeyStore>().Jwks);

    /// <summary>Runs SQL against the database file directly, as someone with write access to it (not through the server).</summary>
    public async Task<int> TamperWithDatabaseAsync(string sql, params object[] parameters)
    {
        await using var db = await DbAsync();
        return await db.Database.ExecuteSqlRawAsync(sql, parameters);
    }

    public static T Ok<T>(Result<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"{result.Error.Code}: {result.Error.Message}");
}
