using System.Net;
using Grantex.Api.Tests.Consent;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Grantex.Api.Tests.Cluster;

/// <summary>
/// The invariants that make the server trustworthy hold across two nodes on one PostgreSQL database (ADR 0005):
/// one winner per code, one decision per consent, one unforked chain per developer, a revocation seen by the other
/// node on the very next call, tokens and cookies made by one node read by the other.
/// </summary>
[Collection(TwoNodeCollection.Name)]
public sealed class TwoNodeTests(TwoNodes nodes)
{
    private const int Parallel = 16;

    [Fact]
    public async Task sixteen_exchanges_of_one_code_split_across_both_nodes_have_exactly_one_winner()
    {
        var (a, b) = await ClientsAsync();
        var agent = await a.CreateAgentAsync();
        var code = (string)(await a.AuthorizeAsync(agent))["code"]!;

        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i => (i % 2 == 0 ? a : b).PostAsync("/v1/token", new { code, agentId = agent })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(Parallel - 1, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));

        // The losers were replays, whichever node they reached: the winner's grant is revoked, on both nodes.
        var winner = await ApiClient.JsonAsync(responses.Single(r => r.StatusCode == HttpStatusCode.Created));
        Assert.False(await a.VerifyAsync((string)winner["grantToken"]!));
        Assert.False(await b.VerifyAsync((string)winner["grantToken"]!));
        var grants = await ApiClient.ExpectAsync(await b.Http.GetAsync($"/v1/grants?agentId={agent}"), HttpStatusCode.OK);
        Assert.Single(grants["grants"]!.AsArray());
    }

    [Fact]
    public async Task sixteen_refreshes_of_one_token_split_across_both_nodes_have_exactly_one_winner()
    {
        var (a, b) = await ClientsAsync();
        var agent = await a.CreateAgentAsync();
        var refresh = (string)(await a.GrantAsync(agent))["refreshToken"]!;

        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i =>
            (i % 2 == 0 ? a : b).PostAsync("/v1/token/refresh", new { refreshToken = refresh, agentId = agent })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(Parallel - 1, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task sixteen_consent_decisions_split_across_both_nodes_take_exactly_one()
    {
        var scenario = await ConsentScenario.CreateAsync(nodes.A);
        var id = await scenario.AuthorizeAsync();
        var (onA, onB) = nodes.Browser();
        using (onA)
        using (onB)
        {
            // The page is opened on A; its session cookie and antiforgery token are read by B (one key ring).
            var page = await onA.GetAsync($"/consent?req={id}");
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode}\n{nodes.Problems()}");
            var token = ConsentScenario.AntiforgeryToken(await page.Content.ReadAsStringAsync());
            var posts = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i =>
                (i % 2 == 0 ? onA : onB).PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, i % 4 < 2 ? "allow" : "deny"))));

            var redirects = posts.Where(p => p.StatusCode == HttpStatusCode.Redirect).ToList();
            Assert.Single(redirects);
            Assert.All(posts.Except(redirects), p => Assert.Equal(HttpStatusCode.Gone, p.StatusCode));
        }

        var decisions = (await scenario.AuditAsync("consent.approved")).Concat(await scenario.AuditAsync("consent.denied"))
            .Count(e => e.GetProperty("metadata").GetProperty("authRequestId").GetString() == id);
        Assert.Equal(1, decisions);
    }

    [Fact]
    public async Task sixteen_writers_on_each_node_leave_one_chain_that_verifies()
    {
        var (a, b) = await ClientsAsync();
        var entry = new { agentId = "ag_1", agentDid = "did:grantex:ag_1", grantId = "grnt_1", principalId = "alice", action = "tool.call" };

        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel * 2).Select(async writer =>
        {
            var api = writer % 2 == 0 ? a : b;
            var mine = new List<HttpResponseMessage>();
            for (var i = 0; i < 10; i++)
            {
                mine.Add(await api.PostAsync("/v1/audit/log", entry));
            }

            return mine;
        }));

        var all = responses.SelectMany(r => r).ToList();
        Assert.All(all, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(all.Select(ApiClient.JsonAsync));
        Assert.Equal(bodies.Length, bodies.Select(body => (string?)body["prevHash"]).Distinct().Count());
        foreach (var api in new[] { a, b })
        {
            var verify = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/verify"), HttpStatusCode.OK);
            Assert.True((bool)verify["valid"]!, verify.ToJsonString());
            Assert.Equal(all.Count + 1, (long)verify["checkedEntries"]!);
        }
    }

    [Fact]
    public async Task a_token_minted_on_a_verifies_on_b_and_a_revocation_on_a_is_seen_by_b_on_the_next_call()
    {
        var (a, b) = await ClientsAsync();
        var agent = await a.CreateAgentAsync();
        for (var round = 0; round < 20; round++)
        {
            var grant = await a.GrantAsync(agent);
            var token = (string)grant["grantToken"]!;
            Assert.True(await b.VerifyAsync(token));

            await ApiClient.ExpectAsync(await a.Http.DeleteAsync($"/v1/grants/{grant["grantId"]}"), HttpStatusCode.NoContent);

            // No waiting: B's very next answer already knows.
            Assert.False(await b.VerifyAsync(token));
        }
    }

    [Fact]
    public async Task a_token_revoked_and_an_agent_suspended_on_b_are_refused_by_a_at_once()
    {
        var (a, b) = await ClientsAsync();
        var agent = await a.CreateAgentAsync();
        var grant = await a.GrantAsync(agent);
        var jti = (string)ApiClient.Payload((string)grant["grantToken"]!)["jti"]!;
        await ApiClient.ExpectAsync(await b.PostAsync("/v1/tokens/revoke", new { jti }), HttpStatusCode.NoContent);
        Assert.False(await a.VerifyAsync((string)grant["grantToken"]!));

        var other = await a.GrantAsync(agent);
        await ApiClient.ExpectAsync(await b.PatchAsync($"/v1/agents/{agent}", new { status = "suspended" }), HttpStatusCode.OK);
        Assert.False(await a.VerifyAsync((string)other["grantToken"]!));
        await ApiClient.ExpectAsync(await b.PatchAsync($"/v1/agents/{agent}", new { status = "active" }), HttpStatusCode.OK);
        Assert.True(await a.VerifyAsync((string)other["grantToken"]!));
    }

    [Fact]
    public async Task a_node_started_after_a_revocation_starts_with_it()
    {
        var (a, _) = await ClientsAsync();
        var agent = await a.CreateAgentAsync();
        var grant = await a.GrantAsync(agent);
        await ApiClient.ExpectAsync(await a.Http.DeleteAsync($"/v1/grants/{grant["grantId"]}"), HttpStatusCode.NoContent);

        var c = await nodes.StartNodeAsync();
        var onC = new ApiClient(TwoNodes.Client(c, a.ApiKey), a.DeveloperId, a.ApiKey);
        Assert.False(await onC.VerifyAsync((string)grant["grantToken"]!));
        var live = await a.GrantAsync(agent);
        Assert.True(await onC.VerifyAsync((string)live["grantToken"]!));
    }

    [Fact]
    public async Task a_node_that_lost_its_notifications_never_answers_valid_from_a_stale_index()
    {
        var (a, b) = await ClientsAsync();
        var agent = await a.CreateAgentAsync();
        var grant = await a.GrantAsync(agent);
        var token = (string)grant["grantToken"]!;
        Assert.True(await b.VerifyAsync(token));

        // Cut B's listening connection, then revoke on A while B cannot hear it.
        var cluster = nodes.B.Services.GetRequiredService<ClusterNotifications>();
        await using (var admin = new NpgsqlConnection(nodes.B.Services.GetRequiredService<IDatabaseProvider>().ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name", admin);
            kill.Parameters.AddWithValue("name", "grantex-listen-" + cluster.NodeId);
            Assert.Equal(true, await kill.ExecuteScalarAsync());
        }

        await ApiClient.ExpectAsync(await a.Http.DeleteAsync($"/v1/grants/{grant["grantId"]}"), HttpStatusCode.NoContent);

        // Until B has listened again and reloaded, it answers 503 or valid:false; never valid:true.
        var answers = new List<HttpStatusCode>();
        await Eventually.UntilAsync(async () =>
        {
            var response = await b.PostAsync("/v1/tokens/verify", new { token });
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.False((bool)(await ApiClient.JsonAsync(response))["valid"]!);
                return true;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            return false;
        }, "B never listened again");
        Assert.True(cluster.Listening);
    }

    private async Task<(ApiClient A, ApiClient B)> ClientsAsync()
    {
        var a = await ApiClient.CreateAsync(nodes.A);
        return (a, new ApiClient(TwoNodes.Client(nodes.B, a.ApiKey), a.DeveloperId, a.ApiKey));
    }
}

[CollectionDefinition(Name)]
public sealed class TwoNodeCollection : ICollectionFixture<TwoNodes>
{
    public const string Name = "Two nodes on PostgreSQL";
}
