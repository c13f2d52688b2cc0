using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Testing;

namespace Grantex.Api.Tests.Consent;

/// <summary>The JSON approve/deny endpoints work for the consent page's own session only (api.md).</summary>
public sealed class ConsentJsonEndpointTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task the_developers_server_calling_approve_gets_403_consent_session_required_and_the_refusal_is_audited()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var server = scenario.DeveloperServer();

        var approve = await server.PostAsync($"/v1/consent/{id}/approve", null);

        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        var body = await approve.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("CONSENT_SESSION_REQUIRED", body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync($"/v1/consent/{id}")).StatusCode);
        Assert.Contains(await scenario.AuditAsync("consent.approve_refused"), e => e.GetProperty("metadata").GetProperty("authRequestId").GetString() == id);
    }

    [Fact]
    public async Task deny_without_the_session_is_refused_the_same_way()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var anyone = factory.CreateClient();

        var deny = await anyone.PostAsync($"/v1/consent/{id}/deny", null);

        Assert.Equal(HttpStatusCode.Forbidden, deny.StatusCode);
        Assert.Equal("CONSENT_SESSION_REQUIRED", (await deny.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task the_consent_cookie_without_the_pages_antiforgery_token_is_not_enough()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        await ConsentScenario.OpenConsentPageAsync(browser, id);

        var approve = await browser.PostAsync($"/v1/consent/{id}/approve", null);

        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
    }

    [Fact]
    public async Task approve_with_the_pages_session_returns_a_code_that_exchanges_once()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/consent/{id}/approve");
        request.Headers.Add("RequestVerificationToken", token);
        var approve = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var body = await approve.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ConsentScenario.RedirectUri, body.GetProperty("redirectUri").GetString());
        Assert.Equal("state-123", body.GetProperty("state").GetString());
        var exchanged = await scenario.ExchangeAsync(body.GetProperty("code").GetString()!);
        Assert.StartsWith("grnt_", exchanged.GetProperty("grantId").GetString(), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Post, $"/v1/consent/{id}/approve");
        again.Headers.Add("RequestVerificationToken", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(again)).StatusCode); // the session ended with the decision
    }

    [Fact]
    public async Task the_passkey_step_needs_the_session_and_a_request_that_asks_for_presence()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var anyone = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await anyone.PostAsync($"/v1/consent/{id}/passkey", null)).StatusCode);

        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/consent/{id}/passkey");
        request.Headers.Add("RequestVerificationToken", token);
        var start = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
        Assert.Contains("does not ask for a passkey", (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task on_first_use_the_passkey_step_asks_to_register_then_knows_the_relying_party()
    {
        var scenario = await ConsentScenario.CreateAsync(factory, presenceRequirement: "high_risk");
        var id = await scenario.AuthorizeAsync(scopes: ["calendar:read", "payments:initiate:max_50"]);
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/consent/{id}/passkey");
        request.Headers.Add("RequestVerificationToken", token);
        var start = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var body = await start.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("register", body.GetProperty("mode").GetString());
        Assert.StartsWith("wac_", body.GetProperty("challengeId").GetString(), StringComparison.Ordinal);
        var options = body.GetProperty("publicKey");
        Assert.Equal("localhost", options.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal("Acme Corp", options.GetProperty("rp").GetProperty("name").GetString());
        Assert.Equal("alice@example.com", options.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("required", options.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString());
    }
}
