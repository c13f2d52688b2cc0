using System.Text.Json;
using Grantex.Core.Grants;
using Grantex.Core;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Compliance;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Keys;
using Grantex.Core.Persistence;
using Grantex.Core.Tokens;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Grantex.Core.Jose;

namespace Grantex.Compliance.Tests.Infrastructure;

/// <summary>
/// The real Core services in-process over a fresh SQLite file: migrated, keys loaded, the single writer running.
/// Time is a <see cref="FakeTimeProvider"/> that tests move forward by hand.
/// </summary>
public sealed class CoreHost : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly ServiceProvider _services;

    private CoreHost(DirectoryInfo directory, ServiceProvider services, FakeTimeProvider time)
    {
        _directory = directory;
        _services = services;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _services;

    public string DatabasePath => Path.Combine(_directory.FullName, "grantex.db");

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static async Task<CoreHost> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gx-compliance-");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Grantex"] = $"Data Source={Path.Combine(directory.FullName, "grantex.db")}",
            ["Grantex:DataProtection:KeysPath"] = Path.Combine(directory.FullName, "keys"),
            ["Grantex:PublicBaseUrl"] = "https://grantex.test",
            ["Grantex:Compliance:CheckpointInterval"] = "00:00:00",
        }).Build();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddGrantexCore(configuration);
        var provider = services.BuildServiceProvider();
        await provider.InitializeGrantexAsync();
        await provider.GetRequiredService<WriteQueue>().StartAsync(CancellationToken.None);
        return new CoreHost(directory, provider, time);
    }

    public async Task<ApiKeyCaller> CreateDeveloperAsync(string name = "Acme", DeveloperMode mode = DeveloperMode.Sandbox)
    {
        var created = await Get<DeveloperService>().CreateAsync(name, mode);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return new ApiKeyCaller(created.Value.Developer, "key_test");
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

    /// <summary>A real grant: an agent, a sandbox authorization and the code exchanged for a token.</summary>
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
        await using var db = await Get<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        return await db.Database.ExecuteSqlRawAsync(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        await Get<WriteQueue>().StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finalizer; the temp folder is cleaned by the OS.
        }
    }
}
