using System.Net;
using Grantex.Core.Developers;
using Grantex.Testing;

namespace Grantex.Api.Tests;

public sealed class ConsentApiTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task the_consent_json_describes_the_request_with_the_developers_name()
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live, "Acme Travel");
        var agent = await api.CreateAgentAsync("Trip planner");
        var request = await api.AuthorizeAsync(agent, ["calendar:read", "payments:initiate:max_500", "custom:thing"]);
        var anonymous = factory.CreateClient();
        var body = await ApiClient.ExpectAsync(await anonymous.GetAsync($"/v1/consent/{request["authRequestId"]}"), HttpStatusCode.OK);
        Assert.Equal("Trip planner", (string?)body["agentName"]);
        Assert.Equal("Acme Travel", (string?)body["developerName"]);
        Assert.Equal("pending", (string?)body["status"]);
        Assert.True(body.ContainsKey("agentDescription"));
        Assert.False((bool)body["fidoRequired"]!);
        var details = body["scopeDetails"]!.AsArray();
        Assert.Contains("500", (string?)details[1]!["description"]);
        Assert.Equal("high", (string?)details[1]!["risk"]);
        Assert.False((bool)details[2]!["described"]!);
        await ApiClient.ExpectErrorAsync(await anonymous.GetAsync("/v1/consent/areq_unknown"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task approving_or_denying_without_the_persons_consent_session_is_403_and_changes_nothing()
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live);
        var agent = await api.CreateAgentAsync();
        var id = (string)(await api.AuthorizeAsync(agent))["authRequestId"]!;

        await ApiClient.ExpectErrorAsync(await factory.CreateClient().PostAsync($"/v1/consent/{id}/approve", null), HttpStatusCode.Forbidden, "CONSENT_SESSION_REQUIRED");
        await ApiClient.ExpectErrorAsync(await api.Http.PostAsync($"/v1/consent/{id}/approve", null), HttpStatusCode.Forbidden, "CONSENT_SESSION_REQUIRED");
        await ApiClient.ExpectErrorAsync(await api.Http.PostAsync($"/v1/consent/{id}/deny", null), HttpStatusCode.Forbidden, "CONSENT_SESSION_REQUIRED");

        var still = await ApiClient.ExpectAsync(await factory.CreateClient().GetAsync($"/v1/consent/{id}"), HttpStatusCode.OK);
        Assert.Equal("pending", (string?)still["status"]);
        var audit = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries?action=consent.approve_refused"), HttpStatusCode.OK);
        Assert.Equal(2, audit["entries"]!.AsArray().Count);
    }

    [Fact]
    public async Task a_decided_request_is_gone()
    {
        var api = await ApiClient.CreateAsync(factory);
        var id = (string)(await api.AuthorizeAsync(await api.CreateAgentAsync()))["authRequestId"]!;
        await ApiClient.ExpectErrorAsync(await factory.CreateClient().GetAsync($"/v1/consent/{id}"), HttpStatusCode.Gone, "GONE");
    }
}
