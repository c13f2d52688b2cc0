using System.Net;
using Grantex.Testing;

namespace Grantex.Api.Tests;

public sealed class GrantAndDelegationTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task grants_are_listed_filtered_and_read_by_id()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var other = await api.CreateAgentAsync("Other");
        var grant = await api.GrantAsync(agent);
        await api.GrantAsync(other);

        var all = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/grants"), HttpStatusCode.OK);
        Assert.Equal(2, all["grants"]!.AsArray().Count);
        var filtered = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/grants?agentId={agent}&status=active"), HttpStatusCode.OK);
        Assert.Equal((string?)grant["grantId"], (string?)filtered["grants"]!.AsArray().Single()!["grantId"]);
        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/grants?status=weird"), HttpStatusCode.BadRequest, "BAD_REQUEST");

        var one = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/grants/{grant["grantId"]}"), HttpStatusCode.OK);
        Assert.Equal((string?)grant["grantId"], (string?)one["grantId"]);
        Assert.Equal(agent, (string?)one["agentId"]);
        Assert.Equal(0, (int)one["delegationDepth"]!);
        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/grants/grnt_unknown"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task delegating_issues_a_narrower_child_token_with_the_delegation_claims()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var sub = await api.CreateAgentAsync("Sub");
        var parent = await api.GrantAsync(agent);
        var child = await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/delegate",
            new { parentGrantToken = parent["grantToken"]!.ToString(), subAgentId = sub, scopes = new[] { "read" } }), HttpStatusCode.Created);
        var claims = ApiClient.Payload((string)child["grantToken"]!);
        Assert.Equal("did:grantex:" + agent, (string?)claims["parentAgt"]);
        Assert.Equal((string?)parent["grantId"], (string?)claims["parentGrnt"]);
        Assert.Equal(1, (int)claims["delegationDepth"]!);
        Assert.Equal("did:grantex:" + sub, (string?)claims["agt"]);
        Assert.Equal("alice", (string?)claims["sub"]);
        Assert.True((long)claims["exp"]! <= (long)ApiClient.Payload((string)parent["grantToken"]!)["exp"]!);
        var stored = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/grants/{child["grantId"]}"), HttpStatusCode.OK);
        Assert.Equal(1, (int)stored["delegationDepth"]!);
        Assert.Equal((string?)parent["grantId"], (string?)stored["parentGrantId"]);
    }

    [Theory]
    [InlineData("read|write|admin")]
    [InlineData("READ")]
    [InlineData("read ")]
    public async Task delegation_beyond_the_parents_scopes_is_refused(string requested)
    {
        var scopes = requested.Split('|');
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var parent = await api.GrantAsync(agent);
        var response = await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = parent["grantToken"]!.ToString(), subAgentId = agent, scopes });
        var body = await ApiClient.ExpectErrorAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("exceed", (string?)body["message"]);
    }

    [Fact]
    public async Task delegation_past_the_depth_limit_is_400_delegation_depth_exceeded()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var token = (string)(await api.GrantAsync(agent))["grantToken"]!;
        for (var depth = 1; depth <= 3; depth++)
        {
            var child = await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = token, subAgentId = agent, scopes = new[] { "read" } }), HttpStatusCode.Created);
            token = (string)child["grantToken"]!;
            Assert.Equal(depth, (int)ApiClient.Payload(token)["delegationDepth"]!);
        }

        var refused = await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = token, subAgentId = agent, scopes = new[] { "read" } });
        await ApiClient.ExpectErrorAsync(refused, HttpStatusCode.BadRequest, "DELEGATION_DEPTH_EXCEEDED");
    }

    [Fact]
    public async Task bad_delegation_requests_are_refused_with_clear_statuses()
    {
        var api = await ApiClient.CreateAsync(factory);
        var other = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var parent = (string)(await api.GrantAsync(agent))["grantToken"]!;
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/grants/delegate", new { subAgentId = agent, scopes = new[] { "read" } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = "x.y.z", subAgentId = agent, scopes = new[] { "read" } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = parent, subAgentId = "ag_missing", scopes = new[] { "read" } }), HttpStatusCode.NotFound, "NOT_FOUND");
        var otherAgent = await other.CreateAgentAsync();
        await ApiClient.ExpectErrorAsync(await other.PostAsync("/v1/grants/delegate", new { parentGrantToken = parent, subAgentId = otherAgent, scopes = new[] { "read" } }), HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task revoking_the_root_cuts_off_the_whole_tree_atomically_and_reports_the_count()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var root = await api.GrantAsync(agent);
        var child = await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = root["grantToken"]!.ToString(), subAgentId = agent, scopes = new[] { "read" } }), HttpStatusCode.Created);
        var grandchild = await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = child["grantToken"]!.ToString(), subAgentId = agent, scopes = new[] { "read" } }), HttpStatusCode.Created);

        var revoke = await api.Http.DeleteAsync($"/v1/grants/{root["grantId"]}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal("3", revoke.Headers.GetValues("Grantex-Revoked-Grants").Single());
        Assert.False(await api.VerifyAsync((string)child["grantToken"]!));
        Assert.False(await api.VerifyAsync((string)grandchild["grantToken"]!));
        var stored = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/grants/{grandchild["grantId"]}"), HttpStatusCode.OK);
        Assert.Equal("revoked", (string?)stored["status"]);
        await ApiClient.ExpectErrorAsync(await api.Http.DeleteAsync($"/v1/grants/{root["grantId"]}"), HttpStatusCode.NotFound, "NOT_FOUND");
        var refused = await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = child["grantToken"]!.ToString(), subAgentId = agent, scopes = new[] { "read" } });
        await ApiClient.ExpectErrorAsync(refused, HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task grants_verify_reports_active_claims_or_the_reason()
    {
        var api = await ApiClient.CreateAsync(factory);
        var other = await ApiClient.CreateAsync(factory);
        var grant = await api.GrantAsync(await api.CreateAgentAsync());
        var token = (string)grant["grantToken"]!;
        var active = await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/verify", new { token }), HttpStatusCode.OK);
        Assert.True((bool)active["active"]!);
        Assert.Equal((string?)grant["grantId"], (string?)active["claims"]!["grnt"]);
        var foreign = await ApiClient.ExpectAsync(await other.PostAsync("/v1/grants/verify", new { token }), HttpStatusCode.OK);
        Assert.Equal("wrong_developer", (string?)foreign["reason"]);
        await api.Http.DeleteAsync($"/v1/grants/{grant["grantId"]}");
        var revoked = await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/verify", new { token }), HttpStatusCode.OK);
        Assert.False((bool)revoked["active"]!);
        Assert.Equal("revoked", (string?)revoked["reason"]);
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/grants/verify", new { token = "garbage" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }
}
