using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Core.Developers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Grantex.Compliance.Tests.Infrastructure;

/// <summary>
/// The whole server on real Kestrel (which refuses synchronous I/O, as in production) over a fresh SQLite file per test
/// class, with a clock the tests move by hand. Developers are created through the real <see cref="DeveloperService"/>.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gx-compliance-api-");

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public string DatabasePath => Path.Combine(_directory.FullName, "grantex.db");

    public Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        return Task.CompletedTask;
    }

    /// <summary>A new developer and a client that sends its API key.</summary>
    public async Task<(HttpClient Client, string DeveloperId)> DeveloperClientAsync(string name = "Acme")
    {
        var created = await Services.GetRequiredService<DeveloperService>().CreateAsync(name, DeveloperMode.Sandbox);
        Assert.True(created.IsSuccess, created.Error?.Message);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value.ApiKey);
        return (client, created.Value.Developer.Id);
    }

    /// <summary>An agent, a sandbox authorization and the code exchanged: a real grant, through the API.</summary>
    public static async Task<(string AgentId, string GrantId)> CreateGrantAsync(HttpClient client, string principal = "user_1", string? agentId = null)
    {
        if (agentId is null)
        {
            var agent = await client.PostAsJsonAsync("/v1/agents", new { name = "Travel agent", scopes = new[] { "read" } });
            Assert.Equal(System.Net.HttpStatusCode.Created, agent.StatusCode);
            agentId = (await agent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("agentId").GetString()!;
        }

        var authorize = await client.PostAsJsonAsync("/v1/authorize", new { agentId, principalId = principal, scopes = new[] { "read" }, expiresIn = "1h" });
        var code = (await authorize.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
        var token = await client.PostAsJsonAsync("/v1/token", new { code, agentId });
        Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());
        return (agentId, (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("grantId").GetString()!);
    }

    public static async Task<List<string>> LogAsync(HttpClient client, int count, string agentId = "ag_1", string status = "success", string action = "tool.invoked")
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var response = await client.PostAsJsonAsync("/v1/audit/log", new
            {
                agentId,
                agentDid = "did:grantex:" + agentId,
                grantId = "grnt_1",
                principalId = "user_1",
                action,
                status,
                metadata = new { n = i },
            });
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entryId").GetString()!);
        }

        return ids;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Grantex", $"Data Source={DatabasePath}");
        builder.UseSetting("Grantex:DataProtection:KeysPath", Path.Combine(_directory.FullName, "keys"));
        builder.UseSetting("Grantex:PublicBaseUrl", "https://grantex.test");
        builder.UseSetting("Grantex:Compliance:CheckpointInterval", "00:00:00");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
