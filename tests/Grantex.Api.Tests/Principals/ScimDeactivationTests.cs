using System.Net;
using Grantex.Api.Tests.Consent;
using Grantex.Testing;

namespace Grantex.Api.Tests.Principals;

/// <summary>
/// SCIM users are tied to grants (api.md): deactivating or deleting one revokes every grant of the principal with the
/// developer through the cascade and blocks new authorizations, consents and exchanges until the user is active again.
/// </summary>
public sealed class ScimDeactivationTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task deactivating_revokes_every_grant_of_the_principal_and_blocks_authorize_until_reactivated()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scim = await ScimClient.CreateAsync(factory, api);
        var agent = await api.CreateAgentAsync("Planner");
        var sub = await api.CreateAgentAsync("Booker");
        var first = await api.GrantAsync(agent);
        var second = await api.GrantAsync(agent, ["read"]);
        var child = await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/delegate", new
        {
            parentGrantToken = (string)first["grantToken"]!, subAgentId = sub, scopes = new[] { "read" },
        }), HttpStatusCode.Created);
        var bob = await ApiClient.ExpectAsync(await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "bob", scopes = new[] { "read" } }), HttpStatusCode.Created);
        var bobToken = await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code = (string)bob["code"]!, agentId = agent }), HttpStatusCode.Created);
        var id = (string)(await scim.CreateUserAsync("alice"))["id"]!;
        Assert.True(await api.VerifyAsync((string)first["grantToken"]!));

        var deactivated = await scim.SetActiveAsync(id, false);

        Assert.False((bool)deactivated["active"]!);
        Assert.False(await api.VerifyAsync((string)first["grantToken"]!));
        Assert.False(await api.VerifyAsync((string)second["grantToken"]!));
        Assert.False(await api.VerifyAsync((string)child["grantToken"]!));
        Assert.True(await api.VerifyAsync((string)bobToken["grantToken"]!));
        var entry = await SingleEntryAsync(api, "scim.user_deactivated");
        Assert.Equal(3, (int)entry["metadata"]!["revokedGrants"]!);
        Assert.Equal("alice", (string?)entry["principalId"]);
        var revoked = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries?action=grant.revoked&pageSize=100"), HttpStatusCode.OK);
        Assert.Equal(2, revoked["entries"]!.AsArray().Count);
        Assert.All(revoked["entries"]!.AsArray(), e => Assert.Equal("scim_deactivated", (string?)e!["metadata"]!["reason"]));

        var refused = await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "alice", scopes = new[] { "read" } });
        var body = await ApiClient.ExpectErrorAsync(refused, HttpStatusCode.Forbidden, "PRINCIPAL_DEACTIVATED");
        Assert.Contains("alice", (string)body["message"]!, StringComparison.Ordinal);
        var blocked = await SingleEntryAsync(api, "principal.blocked");
        Assert.Equal("authorize", (string?)blocked["metadata"]!["step"]);
        Assert.Equal("blocked", (string?)blocked["status"]);
        // A case variant of the user name is the same person to the directory: blocked too.
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "ALICE", scopes = new[] { "read" } }), HttpStatusCode.Forbidden, "PRINCIPAL_DEACTIVATED");

        await scim.SetActiveAsync(id, true);
        Assert.NotNull((await api.AuthorizeAsync(agent, ["read"]))["code"]);
        Assert.Equal(id, (string?)(await SingleEntryAsync(api, "scim.user_reactivated"))["metadata"]!["scimUserId"]);
        // Reactivation restores nothing: revoked grants stay revoked.
        Assert.False(await api.VerifyAsync((string)first["grantToken"]!));
    }

    [Fact]
    public async Task deleting_revokes_the_grants_and_blocks_until_the_provider_creates_the_user_again()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scim = await ScimClient.CreateAsync(factory, api);
        var agent = await api.CreateAgentAsync();
        var grant = await api.GrantAsync(agent);
        var id = (string)(await scim.CreateUserAsync("alice"))["id"]!;

        var deleted = await scim.Http.DeleteAsync($"/scim/v2/Users/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("1", deleted.Headers.GetValues("Grantex-Revoked-Grants").Single());
        Assert.False(await api.VerifyAsync((string)grant["grantToken"]!));
        Assert.Equal(1, (int)(await SingleEntryAsync(api, "scim.user_deleted"))["metadata"]!["revokedGrants"]!);
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "alice", scopes = new[] { "read" } }), HttpStatusCode.Forbidden, "PRINCIPAL_DEACTIVATED");

        await scim.CreateUserAsync("alice");
        Assert.NotNull((await api.AuthorizeAsync(agent))["code"]);
    }

    [Fact]
    public async Task a_code_approved_before_deactivation_cannot_be_exchanged_after_it()
    {
        var api = await ApiClient.CreateAsync(factory);
        var scim = await ScimClient.CreateAsync(factory, api);
        var agent = await api.CreateAgentAsync();
        var id = (string)(await scim.CreateUserAsync("alice"))["id"]!;
        var code = (string)(await api.AuthorizeAsync(agent))["code"]!;

        await scim.SetActiveAsync(id, false);

        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.Forbidden, "PRINCIPAL_DEACTIVATED");
        Assert.Equal("exchange", (string?)(await SingleEntryAsync(api, "principal.blocked"))["metadata"]!["step"]);
        var grants = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/grants?principalId=alice"), HttpStatusCode.OK);
        Assert.Empty(grants["grants"]!.AsArray());
    }

    [Fact]
    public async Task a_pending_consent_for_a_deactivated_principal_cannot_be_approved_on_the_page()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        using var server = scenario.DeveloperServer();
        var api = new ApiClient(server, "", scenario.ApiKey);
        var scim = await ScimClient.CreateAsync(factory, api);
        var id = (string)(await scim.CreateUserAsync("alice@example.com"))["id"]!;
        var requestId = await scenario.AuthorizeAsync();
        var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, requestId);

        await scim.SetActiveAsync(id, false);
        var response = await browser.PostAsync($"/consent?req={requestId}", ConsentScenario.DecisionForm(token, "allow"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("deactivated", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var blocked = Assert.Single(await scenario.AuditAsync("principal.blocked"));
        Assert.Equal("consent", blocked.GetProperty("metadata").GetProperty("step").GetString());
        Assert.Empty(await scenario.AuditAsync("consent.approved"));
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> SingleEntryAsync(ApiClient api, string action)
    {
        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/audit/entries?action={action}&pageSize=100"), HttpStatusCode.OK);
        return list["entries"]!.AsArray().Last()!.AsObject();
    }
}
