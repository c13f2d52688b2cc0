using System.Net;
using Grantex.Core.Developers;
using Grantex.Testing;

namespace Grantex.Api.Tests.Policies;

/// <summary>Policies at work: authorize and delegation refused or approved by a policy, and the dry run.</summary>
public sealed class PolicyEnforcementApiTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task a_deny_refuses_authorize_with_403_naming_the_policy_and_audits_the_rule()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var id = await PolicyApi.CreateAsync(api, new { name = "No writes", effect = "deny", scopes = new[] { "write" } });

        var response = await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "alice", scopes = new[] { "read", "write" } });

        var body = await ApiClient.ExpectErrorAsync(response, HttpStatusCode.Forbidden, "POLICY_DENIED");
        Assert.Contains(id, (string)body["message"]!, StringComparison.Ordinal);
        Assert.Contains("No writes", (string)body["message"]!, StringComparison.Ordinal);
        var entry = await PolicyApi.SingleEntryAsync(api, "policy.denied");
        Assert.Equal("blocked", (string?)entry["status"]);
        Assert.Equal(id, (string?)entry["metadata"]!["policyId"]);
        Assert.Equal("authorize", (string?)entry["metadata"]!["operation"]);
        Assert.Contains("write", (string)entry["metadata"]!["rule"]!, StringComparison.Ordinal);

        // Read alone does not overlap the deny list: sandbox approves as before.
        Assert.NotNull((await api.AuthorizeAsync(agent, ["read"]))["code"]);
    }

    [Fact]
    public async Task an_allow_approves_a_live_developer_at_once_and_the_decision_names_the_policy()
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live);
        var agent = await api.CreateAgentAsync();
        var id = await PolicyApi.CreateAsync(api, new { name = "Reads are fine", effect = "allow", agentId = agent, scopes = new[] { "read" } });

        var allowed = await api.AuthorizeAsync(agent, ["read"]);
        Assert.True((bool)allowed["policyEnforced"]!);
        Assert.Equal("allow", (string?)allowed["effect"]);
        Assert.False(allowed.ContainsKey("sandbox"));
        var token = await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code = (string)allowed["code"]!, agentId = agent }), HttpStatusCode.Created);
        Assert.True(await api.VerifyAsync((string)token["grantToken"]!));
        var approved = await PolicyApi.SingleEntryAsync(api, "consent.approved");
        Assert.Equal(id, (string?)approved["metadata"]!["policyId"]);
        Assert.Equal("Reads are fine", (string?)approved["metadata"]!["policyName"]);

        // Write is outside the allow list: no match, so the person decides on the consent page.
        var pending = await api.AuthorizeAsync(agent, ["read", "write"]);
        Assert.False(pending.ContainsKey("code"));
        Assert.False(pending.ContainsKey("policyEnforced"));
    }

    [Fact]
    public async Task in_sandbox_an_allow_keeps_the_sandbox_response_and_a_deny_still_refuses()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var allow = await PolicyApi.CreateAsync(api, new { name = "Allow", effect = "allow" });

        var allowed = await api.AuthorizeAsync(agent);
        Assert.True((bool)allowed["sandbox"]!);
        Assert.False(allowed.ContainsKey("policyEnforced"));

        await ApiClient.ExpectAsync(await api.PatchAsync($"/v1/policies/{allow}", new { effect = "deny" }), HttpStatusCode.OK);
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "alice", scopes = new[] { "read" } }),
            HttpStatusCode.Forbidden, "POLICY_DENIED");
    }

    [Fact]
    public async Task a_delegation_denied_by_policy_is_refused_audited_and_issues_nothing()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var sub = await api.CreateAgentAsync("Sub");
        var parent = await api.GrantAsync(agent);
        var id = await PolicyApi.CreateAsync(api, new { name = "Sub may not write", effect = "deny", agentId = sub, scopes = new[] { "write" } });

        var response = await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = (string)parent["grantToken"]!, subAgentId = sub, scopes = new[] { "write" } });

        var body = await ApiClient.ExpectErrorAsync(response, HttpStatusCode.Forbidden, "POLICY_DENIED");
        Assert.Contains(id, (string)body["message"]!, StringComparison.Ordinal);
        var entry = await PolicyApi.SingleEntryAsync(api, "policy.denied");
        Assert.Equal("delegate", (string?)entry["metadata"]!["operation"]);
        Assert.Equal((string?)parent["grantId"], (string?)entry["metadata"]!["parentGrantId"]);
        Assert.Equal(sub, (string?)entry["agentId"]);
        var grants = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/grants?agentId={sub}"), HttpStatusCode.OK);
        Assert.Empty(grants["grants"]!.AsArray());

        // A scope the deny does not list still delegates.
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = (string)parent["grantToken"]!, subAgentId = sub, scopes = new[] { "read" } }),
            HttpStatusCode.Created);
    }

    [Fact]
    public async Task evaluate_says_which_policy_decides_and_why_without_side_effects()
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live);
        var agent = await api.CreateAgentAsync();
        var allow = await PolicyApi.CreateAsync(api, new { name = "Everything", effect = "allow", priority = 100 });
        var deny = await PolicyApi.CreateAsync(api, new { name = "Night writes", effect = "deny", priority = 1, scopes = new[] { "write" }, timeOfDayStart = "22:00", timeOfDayEnd = "06:00" });

        var night = await PolicyApi.EvaluateAsync(api, new { agentId = agent, principalId = "alice", scopes = new[] { "write" }, time = "2026-03-01T23:30:00Z" });
        Assert.Equal("deny", (string?)night["decision"]);
        Assert.Equal("denied", (string?)night["outcome"]);
        Assert.Equal(deny, (string?)night["policy"]!["id"]);
        Assert.Contains("deny rules are evaluated before allow rules", (string)night["reason"]!, StringComparison.Ordinal);
        Assert.Equal(2, (int)night["policiesEvaluated"]!);
        Assert.Equal("2026-03-01T23:30:00.000Z", (string?)night["evaluatedAt"]);

        var day = await PolicyApi.EvaluateAsync(api, new { agentId = agent, principalId = "alice", scopes = new[] { "write" }, time = "2026-03-01T12:00:00Z" });
        Assert.Equal("allow", (string?)day["decision"]);
        Assert.Equal("approved", (string?)day["outcome"]);
        Assert.Equal(allow, (string?)day["policy"]!["id"]);

        Assert.Equal(HttpStatusCode.NoContent, (await api.Http.DeleteAsync($"/v1/policies/{allow}")).StatusCode);
        var none = await PolicyApi.EvaluateAsync(api, new { agentId = agent, principalId = "alice", scopes = new[] { "read" } });
        Assert.Equal("none", (string?)none["decision"]);
        Assert.Equal("consent", (string?)none["outcome"]);
        Assert.Null(none["policy"]);

        var denied = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries?action=policy.denied"), HttpStatusCode.OK);
        Assert.Empty(denied["entries"]!.AsArray());
        var requests = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries?action=consent.approved"), HttpStatusCode.OK);
        Assert.Empty(requests["entries"]!.AsArray());
    }

    [Fact]
    public async Task evaluate_refuses_bad_input_and_unknown_agents()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var stranger = await ApiClient.CreateAsync(factory, name: "Stranger");

        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/policies/evaluate", new { }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/policies/evaluate", new { agentId = agent, principalId = "a", scopes = new[] { "read" }, time = "yesterday" }),
            HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/policies/evaluate", new { agentId = agent, principalId = "a", scopes = new[] { " " } }),
            HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await stranger.PostAsync("/v1/policies/evaluate", new { agentId = agent, principalId = "a", scopes = new[] { "read" } }),
            HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
