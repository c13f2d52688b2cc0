using System.Net;
using Grantex.Core.Developers;
using Grantex.Testing;
using Microsoft.Data.Sqlite;

namespace Grantex.Api.Tests.Hardening;

/// <summary>Live developers' agents may only redirect over https, or plain http to the loopback interface (RFC 8252).</summary>
public sealed class LiveRedirectUriTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Theory]
    [InlineData("http://app.example.com/callback")]
    [InlineData("http://127.0.0.1.evil.example/cb")]
    [InlineData("http://localhost.evil.example/cb")]
    [InlineData("http://10.0.0.5:8080/cb")]
    [InlineData("http://[::ffff:127.0.0.1]:8080/cb")]
    public async Task a_live_agent_cannot_register_a_plain_http_redirect_uri(string uri)
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live);

        var refused = await ApiClient.ExpectErrorAsync(
            await api.PostAsync("/v1/agents", new { name = "Agent", scopes = new[] { "read" }, redirectUris = new[] { "https://ok.example/cb", uri } }),
            HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains(uri, (string?)refused["message"]);
        Assert.Contains("https", (string?)refused["message"]);
        var agents = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/agents"), HttpStatusCode.OK);
        Assert.Empty(agents["agents"]!.AsArray());
    }

    [Fact]
    public async Task a_live_agent_cannot_switch_its_redirect_uris_to_plain_http()
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live);
        var agent = await api.CreateAgentAsync(redirectUris: ["https://app.example.com/cb"]);

        var refused = await ApiClient.ExpectErrorAsync(
            await api.PatchAsync($"/v1/agents/{agent}", new { redirectUris = new[] { "http://app.example.com/cb" } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("http://app.example.com/cb", (string?)refused["message"]);

        var stored = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/agents/{agent}"), HttpStatusCode.OK);
        Assert.Equal(["https://app.example.com/cb"], stored["redirectUris"]!.AsArray().Select(u => (string)u!));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8765/callback")]
    [InlineData("http://[::1]:8765/callback")]
    [InlineData("http://localhost:8765/callback")]
    [InlineData("https://app.example.com/callback")]
    public async Task a_live_agent_may_register_https_and_loopback_http(string uri)
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live);
        var agent = await api.CreateAgentAsync(redirectUris: [uri]);
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/authorize",
            new { agentId = agent, principalId = "alice", scopes = new[] { "read" }, redirectUri = uri }), HttpStatusCode.Created);
    }

    [SqliteFact]
    public async Task a_plain_http_uri_stored_before_the_rule_is_refused_at_authorize()
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live);
        var agent = await api.CreateAgentAsync(redirectUris: ["https://app.example.com/cb"]);
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE agents SET RedirectUris = '[\"http://app.example.com/cb\"]' WHERE Id = $id";
            command.Parameters.AddWithValue("$id", agent);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var refused = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/authorize",
            new { agentId = agent, principalId = "alice", scopes = new[] { "read" }, redirectUri = "http://app.example.com/cb" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("http://app.example.com/cb", (string?)refused["message"]);
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM auth_requests WHERE AgentId = $id";
            count.Parameters.AddWithValue("$id", agent);
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }
    }

    [Fact]
    public async Task a_sandbox_agent_may_keep_plain_http()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync(redirectUris: ["http://app.example.com/cb"]);
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/authorize",
            new { agentId = agent, principalId = "alice", scopes = new[] { "read" }, redirectUri = "http://app.example.com/cb" }), HttpStatusCode.Created);
    }
}
