using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Api.Tests.Consent;
using Grantex.Core.Identity;
using Grantex.Core.Tokens;

namespace Grantex.Api.Tests.Sso;

/// <summary>
/// principalAuthentication sso, played as the person and as the attacker: only a sign-in at the developer's identity
/// provider as the principal, made for this very request, lets the consent be decided — and the token says so.
/// </summary>
public sealed class SsoConsentTests(SsoApp fixture) : IClassFixture<SsoApp>
{
    private readonly Grantex.Testing.GrantexApp _app = fixture.App;

    [Fact]
    public async Task alice_signed_in_at_the_identity_provider_approves_and_the_token_carries_acr_amr_and_idv()
    {
        await using var sso = await SsoScenario.CreateAsync(_app);
        var id = await sso.Consent.AuthorizeAsync();
        using var browser = sso.Browser();
        var before = await sso.PageAsync(browser, id);
        Assert.Contains("Sign in to continue", before, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"consent-allow\"", before, StringComparison.Ordinal);

        var callback = await sso.SignInAsync(browser, id);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.True($"/consent?req={id}" == callback.Headers.Location!.ToString(),
            callback.Headers.Location + " " + string.Join(" | ", (await sso.Consent.AuditAsync("sso.sign_in_refused")).Select(e => e.GetProperty("metadata").GetProperty("reason").GetString())));
        var page = await sso.PageAsync(browser, id);
        Assert.Contains("Signed in as <strong>alice@example.com</strong>", page, StringComparison.Ordinal);
        var decided = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(ConsentScenario.AntiforgeryToken(page), "allow"));

        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        var code = ConsentScenario.Query(decided.Headers.Location!, "code");
        var token = (await sso.Consent.ExchangeAsync(code)).GetProperty("grantToken").GetString()!;
        var claims = ApiClient.Payload(token);
        Assert.Equal("urn:grantex:acr:sso", (string?)claims["acr"]);
        Assert.Equal(["fed", "pwd", "mfa"], claims["amr"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("sso", (string?)claims["idv"]!["m"]);
        Assert.Equal(sso.Idp.Issuer, (string?)claims["idv"]!["iss"]);
        Assert.Equal("idp-alice", (string?)claims["idv"]!["sub"]);

        using var anyone = _app.CreateClient();
        var verifier = GrantTokenVerifier.FromJwks(await anyone.GetStringAsync("/.well-known/jwks.json"));
        var asSso = await verifier.VerifyAsync(token, new GrantTokenVerifierOptions { Issuer = _app.BaseUrl, MinimumIdentity = IdentityLevel.Sso });
        Assert.True(asSso.IsValid, asSso.Detail);
        Assert.Equal(IdentityLevel.Sso, asSso.Grant!.Identity.Level);
        var asPasskey = await verifier.VerifyAsync(token, new GrantTokenVerifierOptions { Issuer = _app.BaseUrl, MinimumIdentity = IdentityLevel.Passkey });
        Assert.Equal(TokenCheck.InsufficientIdentity, asPasskey.Check);

        var approved = Assert.Single(await sso.Consent.AuditAsync("consent.approved"), e => e.GetProperty("metadata").GetProperty("authRequestId").GetString() == id);
        Assert.Equal("sso", approved.GetProperty("metadata").GetProperty("identity").GetString());
        Assert.Equal("idp-alice", approved.GetProperty("metadata").GetProperty("identitySubject").GetString());
    }

    [Fact]
    public async Task signed_in_as_bob_alices_request_is_refused_on_a_clear_page_and_audited()
    {
        await using var sso = await SsoScenario.CreateAsync(_app);
        sso.Idp.Subject = "idp-bob";
        sso.Idp.Email = "Bob@Example.com";
        var id = await sso.Consent.AuthorizeAsync();
        using var browser = sso.Browser();
        await sso.PageAsync(browser, id);

        await sso.SignInAsync(browser, id);
        var page = await sso.PageAsync(browser, id, HttpStatusCode.Forbidden);

        Assert.Contains("You are signed in as <strong>Bob@Example.com</strong>; this request is for <strong>alice@example.com</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"consent-allow\"", page, StringComparison.Ordinal);
        var forced = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(ConsentScenario.AntiforgeryToken(page), "allow"));
        Assert.NotEqual(HttpStatusCode.Redirect, forced.StatusCode);
        Assert.Equal("pending", await sso.StatusAsync(id));
        var refusals = await sso.Consent.AuditAsync("consent.identity_refused");
        Assert.Contains(refusals, e => e.GetProperty("metadata").GetProperty("authRequestId").GetString() == id
            && e.GetProperty("metadata").GetProperty("reason").GetString()!.Contains("signed in as Bob@Example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task email_is_compared_without_case_but_sub_exactly()
    {
        await using var byEmail = await SsoScenario.CreateAsync(_app);
        byEmail.Idp.Email = "ALICE@example.COM";
        var id = await byEmail.Consent.AuthorizeAsync();
        using var browser = byEmail.Browser();
        await byEmail.SignInAsync(browser, id);
        Assert.Contains("data-identity=\"verified\"", await byEmail.PageAsync(browser, id), StringComparison.Ordinal);

        await using var bySub = await SsoScenario.CreateAsync(_app, principalClaim: "sub");
        bySub.Idp.Subject = "Alice@example.com";
        var other = await bySub.Consent.AuthorizeAsync();
        using var second = bySub.Browser();
        await bySub.SignInAsync(second, other);
        Assert.Contains("data-identity=\"refused\"", await bySub.PageAsync(second, other, HttpStatusCode.Forbidden), StringComparison.Ordinal);
    }

    [Fact]
    public async Task without_a_sign_in_the_scraped_form_the_json_approve_and_deny_and_the_developers_server_all_fail_and_no_code_appears()
    {
        await using var sso = await SsoScenario.CreateAsync(_app);
        var id = await sso.Consent.AuthorizeAsync();

        // The developer's server as a browser: cookie jar, antiforgery token scraped from the page.
        using var jar = sso.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(jar, id);
        var form = await jar.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "allow"));
        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        Assert.Contains("sign in with their organisation", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        token = await ConsentScenario.OpenConsentPageAsync(jar, id);
        foreach (var path in new[] { "approve", "deny" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/consent/{id}/{path}");
            request.Headers.Add("RequestVerificationToken", token);
            var response = await jar.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(Core.Consent.ConsentService.IdentityRequiredCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        using var server = sso.Consent.DeveloperServer();
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostAsync($"/v1/consent/{id}/approve", null)).StatusCode);
        Assert.Equal("pending", await sso.StatusAsync(id));
        var refused = (await sso.Consent.AuditAsync("consent.identity_refused")).Where(e => e.GetProperty("metadata").GetProperty("authRequestId").GetString() == id).ToList();
        Assert.Equal(3, refused.Count);
        Assert.DoesNotContain(await sso.Consent.AuditAsync("consent.approved"), e => e.GetProperty("metadata").GetProperty("authRequestId").GetString() == id);
    }

    [Fact]
    public async Task a_sign_in_made_for_one_request_does_not_decide_another()
    {
        await using var sso = await SsoScenario.CreateAsync(_app);
        var first = await sso.Consent.AuthorizeAsync();
        var second = await sso.Consent.AuthorizeAsync();
        using var browser = sso.Browser();
        await sso.SignInAsync(browser, first);

        var page = await sso.PageAsync(browser, second);
        Assert.Contains("Sign in to continue", page, StringComparison.Ordinal);
        var forced = await browser.PostAsync($"/consent?req={second}", ConsentScenario.DecisionForm(ConsentScenario.AntiforgeryToken(page), "allow"));
        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.Equal("pending", await sso.StatusAsync(second));
    }

    [Fact]
    public async Task an_allow_policy_no_longer_approves_for_the_person()
    {
        await using var sso = await SsoScenario.CreateAsync(_app);
        using var api = sso.Consent.DeveloperServer();
        var policy = await api.PostAsJsonAsync("/v1/policies", new { name = "allow all", effect = "allow", priority = 1 });
        Assert.Equal(HttpStatusCode.Created, policy.StatusCode);

        var response = await api.PostAsJsonAsync("/v1/authorize", new { agentId = sso.Consent.AgentId, principalId = "alice@example.com", scopes = new[] { "calendar:read" } });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String);
        Assert.Equal("pending", await sso.StatusAsync(body.GetProperty("authRequestId").GetString()!));
    }

    [Theory]
    [InlineData("state")]
    [InlineData("replay")]
    [InlineData("nonce")]
    [InlineData("issuer")]
    [InlineData("audience")]
    public async Task a_tampered_or_replayed_sign_in_is_refused_audited_and_decides_nothing(string attack)
    {
        await using var sso = await SsoScenario.CreateAsync(_app);
        var id = await sso.Consent.AuthorizeAsync();
        using var browser = sso.Browser();
        switch (attack)
        {
            case "nonce": sso.Idp.NonceOverride = "not-the-nonce"; break;
            case "issuer": sso.Idp.IssuerOverride = "https://evil.example.com"; break;
            case "audience": sso.Idp.AudienceOverride = "another-client"; break;
        }

        HttpResponseMessage callback;
        if (attack == "replay")
        {
            Uri? seen = null;
            await sso.SignInAsync(browser, id, u => seen = u);
            callback = await browser.GetAsync(seen!.PathAndQuery);
        }
        else
        {
            callback = await sso.SignInAsync(browser, id, u => attack == "state" ? new Uri(u.ToString().Replace("state=", "state=x", StringComparison.Ordinal)) : u);
        }

        Assert.True(callback.StatusCode == HttpStatusCode.BadRequest
            || (callback.StatusCode == HttpStatusCode.Redirect && callback.Headers.Location!.ToString().EndsWith("&sso=failed", StringComparison.Ordinal)),
            $"{attack}: {callback.StatusCode} {callback.Headers.Location}");
        if (attack != "replay")
        {
            var page = await sso.PageAsync(browser, id);
            Assert.Contains("Sign in to continue", page, StringComparison.Ordinal);
            var forced = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(ConsentScenario.AntiforgeryToken(page), "allow"));
            Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        }

        Assert.Equal("pending", await sso.StatusAsync(id));
        Assert.NotEmpty(await sso.Consent.AuditAsync("sso.sign_in_refused"));
    }

    [Fact]
    public async Task with_none_the_page_says_so_and_the_token_states_no_verified_identity()
    {
        var consent = await ConsentScenario.CreateAsync(_app);
        var id = await consent.AuthorizeAsync();
        using var browser = consent.Browser();
        var page = await browser.GetStringAsync($"/consent?req={id}");
        Assert.Contains("not tied to a verified identity", page, StringComparison.Ordinal);

        var decided = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(ConsentScenario.AntiforgeryToken(page), "allow"));
        var token = (await consent.ExchangeAsync(ConsentScenario.Query(decided.Headers.Location!, "code"))).GetProperty("grantToken").GetString()!;
        var claims = ApiClient.Payload(token);
        Assert.Equal("urn:grantex:acr:none", (string?)claims["acr"]);
        Assert.Equal("none", (string?)claims["idv"]!["m"]);
        Assert.Null(claims["amr"]);
    }
}
