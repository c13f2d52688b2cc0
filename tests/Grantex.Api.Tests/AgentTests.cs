using System.Net;
using Grantex.Testing;

namespace Grantex.Api.Tests;

public sealed class AgentTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task creating_an_agent_returns_its_id_and_did()
    {
        var api = await ApiClient.CreateAsync(factory);
        var body = await ApiClient.ExpectAsync(await api.PostAsync("/v1/agents", new { name = "Calendar bot", scopes = new[] { "calendar:read" } }), HttpStatusCode.Created);
        var id = (string)body["agentId"]!;
        Assert.StartsWith("ag_", id);
        Assert.Equal("did:grantex:" + id, (string?)body["did"]);
        Assert.Equal("active", (string?)body["status"]);
        Assert.Equal("", (string?)body["description"]);
        Assert.Single(body["scopes"]!.AsArray());
        Assert.NotNull(body["createdAt"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"name\":\"   \"}")]
    [InlineData("{\"name\":\"a\",\"scopes\":[\"\"]}")]
    [InlineData("{\"name\":\"a\",\"redirectUris\":[\"javascript:alert(1)\"]}")]
    [InlineData("{\"name\":\"a\",\"redirectUris\":[\"https://user@evil.example/cb\"]}")]
    [InlineData("{\"name\":\"a\",\"redirectUris\":[\"https://app.example/cb#frag\"]}")]
    public async Task invalid_agents_are_refused_with_400_and_nothing_is_created(string json)
    {
        var api = await ApiClient.CreateAsync(factory);
        var response = await api.Http.PostAsync("/v1/agents", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await ApiClient.ExpectErrorAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/agents"), HttpStatusCode.OK);
        Assert.Empty(list["agents"]!.AsArray());
    }

    [Fact]
    public async Task too_many_scopes_are_refused()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scopes = Enumerable.Range(0, 101).Select(i => "s" + i).ToArray();
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/agents", new { name = "a", scopes }), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task the_list_is_newest_first_and_pages_with_a_cursor()
    {
        var api = await ApiClient.CreateAsync(factory);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await api.CreateAgentAsync("Agent " + i));
        }

        var first = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/agents?pageSize=3"), HttpStatusCode.OK);
        var second = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/agents?pageSize=3&cursor={first["nextCursor"]}"), HttpStatusCode.OK);
        var seen = first["agents"]!.AsArray().Concat(second["agents"]!.AsArray()).Select(a => (string)a!["agentId"]!).ToList();
        Assert.Equal(Enumerable.Reverse(ids), seen);
        Assert.Null(second["nextCursor"]);
        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/agents?pageSize=0"), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/agents?cursor=%25%25"), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task another_developers_agent_is_not_found()
    {
        var owner = await ApiClient.CreateAsync(factory);
        var other = await ApiClient.CreateAsync(factory);
        var id = await owner.CreateAgentAsync();
        await ApiClient.ExpectErrorAsync(await other.Http.GetAsync($"/v1/agents/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await other.PatchAsync($"/v1/agents/{id}", new { name = "x" }), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await other.Http.DeleteAsync($"/v1/agents/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        var still = await ApiClient.ExpectAsync(await owner.Http.GetAsync($"/v1/agents/{id}"), HttpStatusCode.OK);
        Assert.Equal("Agent", (string?)still["name"]);
    }

    [Fact]
    public async Task patch_changes_only_the_given_fields_and_suspension_blocks_authorize()
    {
        var api = await ApiClient.CreateAsync(factory);
        var id = await api.CreateAgentAsync("Before");
        var patched = await ApiClient.ExpectAsync(await api.PatchAsync($"/v1/agents/{id}", new { name = "After" }), HttpStatusCode.OK);
        Assert.Equal("After", (string?)patched["name"]);
        Assert.Equal(2, patched["scopes"]!.AsArray().Count);
        await ApiClient.ExpectErrorAsync(await api.PatchAsync($"/v1/agents/{id}", new { }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PatchAsync($"/v1/agents/{id}", new { status = "deleted" }), HttpStatusCode.BadRequest, "BAD_REQUEST");

        await ApiClient.ExpectAsync(await api.PatchAsync($"/v1/agents/{id}", new { status = "suspended" }), HttpStatusCode.OK);
        var refused = await api.PostAsync("/v1/authorize", new { agentId = id, principalId = "alice", scopes = new[] { "read" } });
        await ApiClient.ExpectErrorAsync(refused, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task deleting_an_agent_revokes_its_grants_and_hides_it()
    {
        var api = await ApiClient.CreateAsync(factory);
        var id = await api.CreateAgentAsync();
        var token = (string)(await api.GrantAsync(id))["grantToken"]!;
        Assert.True(await api.VerifyAsync(token));

        var deleted = await api.Http.DeleteAsync($"/v1/agents/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("1", deleted.Headers.GetValues("Grantex-Revoked-Grants").Single());
        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync($"/v1/agents/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.False(await api.VerifyAsync(token));
    }
}
