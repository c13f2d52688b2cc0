using System.Net;
using System.Text.Json.Nodes;
using Grantex.Testing;

namespace Grantex.Api.Tests.Hardening;

/// <summary>A developer cannot forge a server entry through <c>POST /v1/audit/log</c>: the server's action names are reserved.</summary>
public sealed class ReservedAuditActionTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    private static object Entry(string action) => new
    {
        agentId = "ag_1", agentDid = "did:grantex:ag_1", grantId = "grnt_1", principalId = "alice", action, metadata = new { },
    };

    [Theory]
    [InlineData("grant.revoked")]
    [InlineData("Grant.Revoked")]
    [InlineData(" grant.revoked ")]
    [InlineData("grant.revoked\u200B")]
    [InlineData("grant.\u202Erevoked")]
    [InlineData("\uFF47rant.revoked")]
    public async Task posting_a_server_action_name_is_refused_and_only_the_refusal_is_audited(string forged)
    {
        var api = await ApiClient.CreateAsync(factory);
        var before = await EntriesAsync(api);

        var refused = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/audit/log", Entry(forged)), HttpStatusCode.BadRequest, "BAD_REQUEST");
        var message = (string)refused["message"]!;
        Assert.Contains("\"grant.revoked\" is reserved", message);
        Assert.Contains("grant.created", message);

        var after = await EntriesAsync(api);
        Assert.Equal(before.Count + 1, after.Count);
        Assert.DoesNotContain(after, e => (string?)e!["grantId"] == "grnt_1");
        var refusal = after[^1]!;
        Assert.Equal("audit.reserved_action_refused", (string?)refusal["action"]);
        Assert.Equal("blocked", (string?)refusal["status"]);
        Assert.Equal("grant.revoked", (string?)refusal["metadata"]!["reservedAction"]);
        Assert.Equal(forged == "grant.revoked", (bool)refusal["metadata"]!["exactName"]!);
        Assert.True((bool)(await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/verify"), HttpStatusCode.OK))["valid"]!);
    }

    [Theory]
    [InlineData("grant.revoked_by_app")]
    [InlineData("tool.invoked")]
    [InlineData("payment.initiated")]
    public async Task a_developers_own_names_are_still_logged(string action)
    {
        var api = await ApiClient.CreateAsync(factory);
        var entry = await ApiClient.ExpectAsync(await api.PostAsync("/v1/audit/log", Entry(action)), HttpStatusCode.Created);
        Assert.Equal(action, (string?)entry["action"]);
    }

    private static async Task<JsonArray> EntriesAsync(ApiClient api) =>
        (await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries"), HttpStatusCode.OK))["entries"]!.AsArray();
}
