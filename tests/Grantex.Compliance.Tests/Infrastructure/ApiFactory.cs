using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Core.Developers;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Grantex.Compliance.Tests.Infrastructure;

/// <summary>
/// The whole server on real Kestrel (which refuses synchronous I/O, as in production) over a fresh SQLite file per test
/// class, with a clock the tests move by hand (a <see cref="GrantexApp"/>), and the compliance tests' API helpers.
/// Developers are created through the real <see cref="DeveloperService"/>.
/// </summary>
public sealed class ApiFactory : IAsyncLifetime
{
    private readonly GrantexApp _app = GrantexApp.With(new GrantexAppOptions { Kestrel = true, FakeTime = true });

    public FakeTimeProvider Time => _app.Time;

    public IServiceProvider Services => _app.Services;

    public HttpClient CreateClient() => _app.CreateClient();

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

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
}
