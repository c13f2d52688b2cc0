using System.Net;
using System.Text.Json.Nodes;
using Grantex.Core.Events;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Events;

/// <summary>Every change that webhooks and the stream announce lands in the durable event log, in the envelope they send.</summary>
public sealed class EventLogTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task a_grants_life_is_written_to_the_event_log_in_order_with_the_reference_envelope()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var sub = await api.CreateAgentAsync("Sub");
        var parent = await api.GrantAsync(agent);
        var child = await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/delegate",
            new { parentGrantToken = (string)parent["grantToken"]!, subAgentId = sub, scopes = new[] { "read" } }), HttpStatusCode.Created);
        var childJti = (string)ApiClient.Payload((string)child["grantToken"]!)["jti"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync("/v1/tokens/revoke", new { jti = childJti })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.Http.DeleteAsync($"/v1/grants/{parent["grantId"]}")).StatusCode);

        var events = await factory.Services.GetRequiredService<EventLog>().ReadAfterAsync(api.DeveloperId, 0, null, 100);
        Assert.Equal(
            ["consent.approved", "grant.created", "token.issued", "grant.created", "token.issued", "token.revoked", "grant.revoked"],
            events.Select(e => e.Type));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Seq < p.Second.Seq));

        var bodies = events.Select(e => JsonNode.Parse(e.Body)!.AsObject()).ToList();
        foreach (var (row, body) in events.Zip(bodies))
        {
            Assert.Equal(["id", "type", "createdAt", "data"], body.Select(p => p.Key));
            Assert.Equal(row.Id, (string?)body["id"]);
            Assert.StartsWith("evt_", row.Id);
            Assert.Equal(row.Type, (string?)body["type"]);
        }

        var created = bodies[1]["data"]!.AsObject();
        Assert.Equal(["grantId", "agentId", "principalId", "scopes", "expiresAt"], created.Select(p => p.Key));
        Assert.Equal((string?)parent["grantId"], (string?)created["grantId"]);
        var delegated = bodies[3]["data"]!.AsObject();
        Assert.Equal(1, (int)delegated["delegationDepth"]!);
        Assert.Equal((string?)parent["grantId"], (string?)delegated["parentGrantId"]);
        Assert.Equal(childJti, (string?)bodies[5]["data"]!["tokenId"]);
        var revoked = bodies[6]["data"]!.AsObject();
        Assert.Equal((string?)parent["grantId"], (string?)revoked["grantId"]);
        Assert.True((bool)revoked["cascade"]!);
        Assert.Equal([(string)parent["grantId"]!, (string)child["grantId"]!], revoked["revokedGrantIds"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task a_policy_denial_is_an_event_and_a_refused_request_writes_none()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/policies", new { name = "No writes", effect = "deny", scopes = new[] { "write" } }), HttpStatusCode.Created);
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "alice", scopes = new[] { "write" } }), HttpStatusCode.Forbidden, "POLICY_DENIED");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/token", new { code = "nope", agentId = agent }), HttpStatusCode.BadRequest, "BAD_REQUEST");

        var events = await factory.Services.GetRequiredService<EventLog>().ReadAfterAsync(api.DeveloperId, 0, null, 100);
        var denied = Assert.Single(events);
        Assert.Equal("policy.denied", denied.Type);
        var data = JsonNode.Parse(denied.Body)!["data"]!;
        Assert.Equal("No writes", (string?)data["policyName"]);
        Assert.Equal("authorize", (string?)data["operation"]);
    }
}
