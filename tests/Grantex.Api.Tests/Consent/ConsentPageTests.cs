using System.Net;
using System.Text.Json;
using Grantex.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Grantex.Api.Tests.Consent;

/// <summary>The consent page's server side: headers, the session, the form's checks, exactly-once decisions, redirects.</summary>
public sealed class ConsentPageTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task the_page_starts_a_strict_session_and_sends_headers_that_forbid_framing_caching_and_referrers()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();

        var page = await browser.GetAsync($"/consent?req={id}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self' https://app.example.com;", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("no-store", page.Headers.CacheControl!.ToString());
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gx_consent=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Trip Planner", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/consent", HttpStatusCode.BadRequest, "This link is incomplete")]
    [InlineData("/consent?req=", HttpStatusCode.BadRequest, "This link is incomplete")]
    [InlineData("/consent?req=areq_01NOPE", HttpStatusCode.NotFound, "find this request")]
    public async Task an_unknown_or_missing_request_gets_its_own_page_with_the_same_headers(string path, HttpStatusCode status, string heading)
    {
        using var browser = factory.CreateClient();

        var page = await browser.GetAsync(path);

        Assert.Equal(status, page.StatusCode);
        Assert.Contains(heading, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(page.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("gx_consent=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task allow_redirects_to_the_registered_uri_with_code_and_state_and_the_code_exchanges_without_presence_claims()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);

        var post = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "allow"));

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var location = post.Headers.Location!;
        Assert.StartsWith(ConsentScenario.RedirectUri + "?", location.ToString(), StringComparison.Ordinal);
        Assert.Equal("state-123", ConsentScenario.Query(location, "state"));
        var exchanged = await scenario.ExchangeAsync(ConsentScenario.Query(location, "code"));
        var jwt = new JsonWebToken(exchanged.GetProperty("grantToken").GetString());
        Assert.False(jwt.TryGetPayloadValue<JsonElement>("presence", out _));
        Assert.False(jwt.TryGetPayloadValue<JsonElement>("amr", out _));
    }

    [Fact]
    public async Task deny_redirects_with_access_denied_and_state_and_issues_no_code()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);

        var post = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "deny"));

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal(ConsentScenario.RedirectUri + "?error=access_denied&state=state-123", post.Headers.Location!.ToString());
        var again = await browser.GetAsync($"/consent?req={id}");
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("denied earlier", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task without_a_redirect_uri_the_person_is_told_to_close_the_window()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync(redirectUri: null);
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);

        var post = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "allow"));

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var html = await post.Content.ReadAsStringAsync();
        Assert.Contains("Access allowed", html, StringComparison.Ordinal);
        Assert.Contains("You can close this window.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_post_without_the_antiforgery_token_is_refused_with_400_and_decides_nothing()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        await ConsentScenario.OpenConsentPageAsync(browser, id);

        var post = await browser.PostAsync($"/consent?req={id}", new FormUrlEncodedContent([new("_handler", "consent-decision"), new("Input.Decision", "allow")]));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/consent?req={id}")).StatusCode);
    }

    [Fact]
    public async Task another_browsers_token_is_refused_and_decides_nothing()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var person = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(person, id);
        using var attacker = scenario.Browser();

        var post = await attacker.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "allow"));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync($"/consent?req={id}")).StatusCode);
    }

    [Fact]
    public async Task the_session_of_one_request_cannot_decide_another_and_the_refusal_is_audited()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var first = await scenario.AuthorizeAsync();
        var second = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, first);

        var post = await browser.PostAsync($"/consent?req={second}", ConsentScenario.DecisionForm(token, "allow"));

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Contains("Open the request in this browser first", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(await scenario.AuditAsync("consent.decision_refused"), e => e.GetProperty("metadata").GetProperty("authRequestId").GetString() == second);
        using var other = scenario.Browser();
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/consent?req={second}")).StatusCode);
    }

    [Fact]
    public async Task many_parallel_posts_take_exactly_one_decision_and_issue_one_code()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);

        var posts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, i % 2 == 0 ? "allow" : "deny"))));

        var redirects = posts.Where(p => p.StatusCode == HttpStatusCode.Redirect).ToList();
        Assert.Single(redirects);
        Assert.All(posts.Except(redirects), p => Assert.Equal(HttpStatusCode.Gone, p.StatusCode));
        var decisions = (await scenario.AuditAsync("consent.approved")).Concat(await scenario.AuditAsync("consent.denied"))
            .Count(e => e.GetProperty("metadata").GetProperty("authRequestId").GetString() == id);
        Assert.Equal(1, decisions);
    }

    [Fact]
    public async Task an_unknown_decision_value_is_refused_and_the_request_stays_pending()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);

        var post = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "maybe"));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("Choose Allow or Deny.", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/consent?req={id}")).StatusCode);
    }

    [Fact]
    public async Task allow_without_a_passkey_is_refused_when_the_developer_requires_presence()
    {
        var scenario = await ConsentScenario.CreateAsync(factory, presenceRequirement: "always");
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);

        var post = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "allow"));

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Contains("Confirm with your passkey first", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/consent?req={id}")).StatusCode);
    }

    [Fact]
    public async Task a_forged_passkey_answer_is_refused_audited_and_decides_nothing()
    {
        var scenario = await ConsentScenario.CreateAsync(factory, presenceRequirement: "always");
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);

        var post = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "allow",
            ("Input.PasskeyChallengeId", "wac_01FORGED"), ("Input.PasskeyResponse", "{\"id\":\"AAAA\"}")));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("passkey challenge is unknown", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(await scenario.AuditAsync("consent.presence_refused"), e => e.GetProperty("metadata").GetProperty("authRequestId").GetString() == id);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/consent?req={id}")).StatusCode);
    }

    [Fact]
    public async Task deny_needs_no_passkey_even_when_presence_is_required()
    {
        var scenario = await ConsentScenario.CreateAsync(factory, presenceRequirement: "always");
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);

        var post = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "deny"));

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("access_denied", ConsentScenario.Query(post.Headers.Location!, "error"));
    }
}
