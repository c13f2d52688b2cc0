using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Api.Tests.Consent;
using Grantex.Api.Tests.Sso;
using Grantex.Core.Consent;
using Grantex.Core.Identity;
using Grantex.Core.Tokens;

namespace Grantex.Api.Tests.Passkeys;

/// <summary>
/// principalAuthentication passkey, played as the person and as the developer turned attacker: only a passkey the
/// person enrolled through a path the developer does not control (an administrator's link, or after an SSO sign-in)
/// decides a consent — approve or deny — and the token says how.
/// </summary>
public sealed class PasskeyLevelTests(SsoApp fixture) : IClassFixture<SsoApp>
{
    private readonly Grantex.Testing.GrantexApp _app = fixture.App;

    [Fact]
    public async Task the_passkey_level_is_set_and_shown_and_sandbox_developers_cannot_choose_it()
    {
        await using var scenario = await PasskeyScenario.CreateAsync(_app);
        using var api = scenario.Consent.DeveloperServer();
        Assert.Equal("passkey", (await api.GetFromJsonAsync<JsonElement>("/v1/me")).GetProperty("principalAuthentication").GetString());

        var (sandbox, _) = await SsoScenario.DeveloperAsync(_app, Core.Developers.DeveloperMode.Sandbox);
        var refused = await sandbox.PatchAsJsonAsync("/v1/me", new { principalAuthentication = "passkey" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("none", (await sandbox.GetFromJsonAsync<JsonElement>("/v1/me")).GetProperty("principalAuthentication").GetString());
        sandbox.Dispose();
    }

    [Fact]
    public async Task with_only_a_developer_enrolled_key_no_path_decides_first_opener_enrolment_included_and_every_refusal_is_audited()
    {
        await using var scenario = await PasskeyScenario.CreateAsync(_app);
        var credential = await scenario.EnrolThroughApiAsync();
        Assert.Equal("developer_api", credential.GetProperty("enrolment").GetString());
        var id = await scenario.Consent.AuthorizeAsync();

        // The developer's server as a browser: cookie jar, antiforgery token scraped from the page.
        using var jar = scenario.Consent.Browser();
        var page = await scenario.Sso.PageAsync(jar, id);
        Assert.Contains("data-identity=\"passkey-needed\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"consent-allow\"", page, StringComparison.Ordinal);
        var token = ConsentScenario.AntiforgeryToken(page);

        // First-opener enrolment: no registration options without a sign-in as the principal.
        var enrol = await PasskeyScenario.ConsentPostAsync(jar, id, token, "passkey");
        Assert.Equal(HttpStatusCode.Forbidden, enrol.StatusCode);
        Assert.Equal(ConsentService.IdentityRequiredCode, (await enrol.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var register = await PasskeyScenario.ConsentPostAsync(jar, id, token, "passkey/register", new { challengeId = "wac_x", response = new { } });
        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);

        foreach (var path in new[] { "approve", "deny" })
        {
            var answer = await PasskeyScenario.ConsentPostAsync(jar, id, token, path);
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            Assert.Equal(ConsentService.IdentityRequiredCode, (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        var form = await jar.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "allow"));
        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        Assert.Contains("passkey", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal("pending", await scenario.Sso.StatusAsync(id));
        var refusals = await scenario.AuditForAsync("consent.identity_refused", id);
        Assert.Equal(5, refusals.Count);
        Assert.Contains(refusals, e => e.GetProperty("metadata").GetProperty("reason").GetString()!.Contains("first-use passkey enrolment", StringComparison.Ordinal));
        Assert.Empty(await scenario.AuditForAsync("consent.approved", id));
        Assert.Empty(await scenario.AuditForAsync("passkey.registered", id));
    }

    [Fact]
    public async Task the_developers_software_key_answering_a_real_challenge_is_refused_even_when_the_person_has_a_passkey()
    {
        await using var scenario = await PasskeyScenario.CreateAsync(_app);
        Assert.Equal(HttpStatusCode.Created, (await scenario.EnrolThroughLinkAsync(await scenario.IssueLinkAsync())).StatusCode);
        await scenario.EnrolThroughApiAsync();
        var id = await scenario.Consent.AuthorizeAsync();
        using var jar = scenario.Consent.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(jar, id);

        // The server offers only the person's passkey, but a script answers with the developer's own credential.
        var step = await PasskeyScenario.ConsentPostAsync(jar, id, token, "passkey");
        var options = await step.Content.ReadFromJsonAsync<JsonElement>();
        var offered = options.GetProperty("publicKey").GetProperty("allowCredentials").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.Equal(scenario.Person.CredentialIds.ToList(), offered);
        var forged = new { challengeId = options.GetProperty("challengeId").GetString(), response = scenario.Developer.Get(options.GetProperty("publicKey")) };
        var approve = await PasskeyScenario.ConsentPostAsync(jar, id, token, "approve", forged);

        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Equal(ConsentService.IdentityRequiredCode, (await approve.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("pending", await scenario.Sso.StatusAsync(id));
        Assert.Contains(await scenario.AuditForAsync("consent.identity_refused", id),
            e => e.GetProperty("metadata").GetProperty("reason").GetString()!.Contains("developer_api", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_passkey_from_an_enrolment_link_approves_and_denies_and_the_token_says_hwk_and_passkey()
    {
        await using var scenario = await PasskeyScenario.CreateAsync(_app);
        var link = await scenario.IssueLinkAsync();
        var check = await (await scenario.EnrolPostAsync("check", new { token = link })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("alice@example.com", check.GetProperty("principalId").GetString());
        var enrolled = await scenario.EnrolThroughLinkAsync(link);
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        Assert.Equal("enrolment_link", (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enrolment").GetString());

        var id = await scenario.Consent.AuthorizeAsync();
        using var browser = scenario.Consent.Browser();
        var page = await scenario.Sso.PageAsync(browser, id);
        Assert.Contains("data-identity=\"passkey\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"consent-allow\"", page, StringComparison.Ordinal);
        var token = ConsentScenario.AntiforgeryToken(page);
        var approve = await PasskeyScenario.ConsentPostAsync(browser, id, token, "approve", await PasskeyScenario.AssertAsync(browser, id, token, scenario.Person));
        var approved = await approve.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(approve.StatusCode == HttpStatusCode.OK, approved.ToString());

        var grantToken = (await scenario.Consent.ExchangeAsync(approved.GetProperty("code").GetString()!)).GetProperty("grantToken").GetString()!;
        var claims = ApiClient.Payload(grantToken);
        Assert.Equal("urn:grantex:acr:passkey", (string?)claims["acr"]);
        Assert.Equal(["hwk", "user"], claims["amr"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("passkey", (string?)claims["idv"]!["m"]);
        Assert.Equal("enrolment_link", (string?)claims["presence"]!["enr"]);
        using var anyone = _app.CreateClient();
        var verifier = GrantTokenVerifier.FromJwks(await anyone.GetStringAsync("/.well-known/jwks.json"));
        var verified = await verifier.VerifyAsync(grantToken, new GrantTokenVerifierOptions { Issuer = _app.BaseUrl, MinimumIdentity = IdentityLevel.Passkey });
        Assert.True(verified.IsValid, verified.Detail);

        // Deny needs the passkey too: without it refused, with it decided.
        var second = await scenario.Consent.AuthorizeAsync();
        using var again = scenario.Consent.Browser();
        var secondToken = await ConsentScenario.OpenConsentPageAsync(again, second);
        Assert.Equal(HttpStatusCode.Forbidden, (await PasskeyScenario.ConsentPostAsync(again, second, secondToken, "deny")).StatusCode);
        var deny = await PasskeyScenario.ConsentPostAsync(again, second, secondToken, "deny", await PasskeyScenario.AssertAsync(again, second, secondToken, scenario.Person));
        Assert.Equal(HttpStatusCode.OK, deny.StatusCode);
        var denied = Assert.Single(await scenario.AuditForAsync("consent.denied", second));
        Assert.Equal("passkey", denied.GetProperty("metadata").GetProperty("identity").GetString());
    }

    [Fact]
    public async Task after_an_sso_sign_in_as_the_principal_the_consent_page_enrols_a_passkey_recorded_as_sso_and_it_approves()
    {
        await using var scenario = await PasskeyScenario.CreateAsync(_app);
        var id = await scenario.Consent.AuthorizeAsync();
        using var browser = scenario.Consent.Browser();
        Assert.Contains("Sign in to set up a passkey", await scenario.Sso.PageAsync(browser, id), StringComparison.Ordinal);
        await scenario.Sso.SignInAsync(browser, id);
        var page = await scenario.Sso.PageAsync(browser, id);
        var token = ConsentScenario.AntiforgeryToken(page);

        var step = await (await PasskeyScenario.ConsentPostAsync(browser, id, token, "passkey")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("register", step.GetProperty("mode").GetString());
        var registered = await PasskeyScenario.ConsentPostAsync(browser, id, token, "passkey/register",
            new { challengeId = step.GetProperty("challengeId").GetString(), response = scenario.Person.Create(step.GetProperty("publicKey")) });
        var assertion = await registered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(registered.StatusCode == HttpStatusCode.OK, assertion.ToString());
        var approve = await PasskeyScenario.ConsentPostAsync(browser, id, token, "approve",
            new { challengeId = assertion.GetProperty("challengeId").GetString(), response = scenario.Person.Get(assertion.GetProperty("publicKey")) });
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);

        using var api = scenario.Consent.DeveloperServer();
        var list = await api.GetFromJsonAsync<JsonElement>("/v1/webauthn/credentials?principalId=alice%40example.com");
        Assert.Equal("sso", Assert.Single(list.GetProperty("credentials").EnumerateArray()).GetProperty("enrolment").GetString());
    }

    [Fact]
    public async Task under_none_a_developer_enrolled_key_still_gives_presence_but_the_token_says_pop_not_hwk()
    {
        await using var scenario = await PasskeyScenario.CreateAsync(_app, level: "none");
        using (var api = scenario.Consent.DeveloperServer())
        {
            (await api.PatchAsJsonAsync("/v1/me", new { presenceRequirement = "always" })).EnsureSuccessStatusCode();
        }

        await scenario.EnrolThroughApiAsync();
        var id = await scenario.Consent.AuthorizeAsync();
        using var jar = scenario.Consent.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(jar, id);
        var approve = await PasskeyScenario.ConsentPostAsync(jar, id, token, "approve", await PasskeyScenario.AssertAsync(jar, id, token, scenario.Developer));
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);

        var grantToken = (await scenario.Consent.ExchangeAsync((await approve.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!)).GetProperty("grantToken").GetString()!;
        var claims = ApiClient.Payload(grantToken);
        Assert.Equal(["pop"], claims["amr"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("developer_api", (string?)claims["presence"]!["enr"]);
        Assert.Equal("none", (string?)claims["idv"]!["m"]);
    }
}
