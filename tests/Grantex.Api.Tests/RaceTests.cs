using System.Net;
using Grantex.Testing;

namespace Grantex.Api.Tests;

/// <summary>Concurrency: one winner per code and per refresh token, an unforked chain, no child outliving its parent.</summary>
public sealed class RaceTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    private const int Parallel = 16;

    [Fact]
    public async Task sixteen_concurrent_exchanges_of_one_code_have_exactly_one_winner()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var code = (string)(await api.AuthorizeAsync(agent))["code"]!;
        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => api.PostAsync("/v1/token", new { code, agentId = agent })));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(Parallel - 1, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));

        // The losers were replays of a used code: the grant the winner got is revoked (RFC 9700 §4.5).
        var winner = await ApiClient.JsonAsync(responses.Single(r => r.StatusCode == HttpStatusCode.Created));
        Assert.False(await api.VerifyAsync((string)winner["grantToken"]!));
        var grants = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/grants?agentId={agent}"), HttpStatusCode.OK);
        Assert.Single(grants["grants"]!.AsArray());
    }

    [Fact]
    public async Task sixteen_concurrent_refreshes_of_one_token_have_exactly_one_winner()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var refresh = (string)(await api.GrantAsync(agent))["refreshToken"]!;
        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => api.PostAsync("/v1/token/refresh", new { refreshToken = refresh, agentId = agent })));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(Parallel - 1, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task concurrent_audit_appends_never_fork_the_chain()
    {
        var api = await ApiClient.CreateAsync(factory);
        var entry = new { agentId = "ag_1", agentDid = "did:grantex:ag_1", grantId = "grnt_1", principalId = "alice", action = "tool.call" };
        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel * 10).Select(_ => api.PostAsync("/v1/audit/log", entry)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(ApiClient.JsonAsync));
        Assert.Equal(bodies.Length, bodies.Select(b => (string?)b["prevHash"]).Distinct().Count());

        var verify = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/verify"), HttpStatusCode.OK);
        Assert.True((bool)verify["valid"]!, verify.ToJsonString());
        Assert.Equal(Parallel * 10 + 1, (long)verify["checkedEntries"]!);
    }

    [Fact]
    public async Task revoke_racing_delegate_leaves_no_child_outliving_its_parent()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        for (var round = 0; round < 5; round++)
        {
            var parent = await api.GrantAsync(agent);
            var delegations = Enumerable.Range(0, 8).Select(_ => api.PostAsync("/v1/grants/delegate",
                new { parentGrantToken = parent["grantToken"]!.ToString(), subAgentId = agent, scopes = new[] { "read" } }));
            var revoke = api.Http.DeleteAsync($"/v1/grants/{parent["grantId"]}");
            await Task.WhenAll(delegations.Append(revoke));

            var children = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/grants?agentId={agent}&status=active"), HttpStatusCode.OK);
            Assert.Empty(children["grants"]!.AsArray());
        }
    }
}
