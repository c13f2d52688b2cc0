using System.Net;
using System.Text.RegularExpressions;
using Grantex.Api.Tests.Consent;
using Grantex.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Grantex.Api.Tests.Principals;

/// <summary>The "My grants" page as a browser without JavaScript meets it: the session form, the cookie, revoke one and all (PRG).</summary>
public sealed class PermissionsPageTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task without_a_session_the_page_explains_itself_and_a_bad_token_sets_no_cookie()
    {
        var browser = Browser();
        var page = await browser.GetAsync("/permissions");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Open this page with the link", html, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());

        var opened = await browser.PostAsync("/permissions/session", Form(ConsentScenario.AntiforgeryToken(html), ("session", "not-a-token")));
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal("/permissions?link=expired", opened.Headers.Location!.ToString());
        Assert.DoesNotContain(opened.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("gx_principal_session=ey", StringComparison.Ordinal));
        Assert.Contains("expired", await (await browser.GetAsync("/permissions?link=expired")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // No antiforgery token: refused before anything happens, with the API's error body.
        await AssertAntiforgeryRefusalAsync(await browser.PostAsync("/permissions/session", Form(null, ("session", "x"))));
    }

    [Theory]
    [InlineData("/permissions/session", "session")]
    [InlineData("/permissions/revoke", "grantId")]
    [InlineData("/permissions/revoke-all", "confirm")]
    [InlineData("/permissions/sign-out", "confirm")]
    public async Task every_form_endpoint_refuses_a_post_without_a_valid_antiforgery_token_with_400(string path, string field)
    {
        var browser = Browser();
        var html = await (await browser.GetAsync("/permissions")).Content.ReadAsStringAsync();

        await AssertAntiforgeryRefusalAsync(await browser.PostAsync(path, Form(null, (field, "x"))));
        await AssertAntiforgeryRefusalAsync(await browser.PostAsync(path, Form(ConsentScenario.AntiforgeryToken(html) + "tampered", (field, "x"))));
        // Another browser's token (the cookie half does not match) is no better.
        await AssertAntiforgeryRefusalAsync(await Browser().PostAsync(path, Form(ConsentScenario.AntiforgeryToken(html), (field, "x"))));
    }

    private static async Task AssertAntiforgeryRefusalAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"code\":\"BAD_REQUEST\"", body, StringComparison.Ordinal);
        Assert.Contains("antiforgery token is missing or invalid", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_link_becomes_a_strict_http_only_cookie_and_the_person_revokes_one_then_all()
    {
        var api = await ApiClient.CreateAsync(factory, name: "Acme Travel");
        var planner = await api.CreateAgentAsync("Trip Planner");
        var mailer = await api.CreateAgentAsync("Mail <b>Bot</b>");
        var sub = await api.CreateAgentAsync("Hotel Booker");
        var plannerGrant = await api.GrantAsync(planner, ["calendar:read", "read"]);
        var mailerGrant = await api.GrantAsync(mailer, ["email:send"]);
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = (string)plannerGrant["grantToken"]!, subAgentId = sub, scopes = new[] { "read" } }), HttpStatusCode.Created);
        var session = (string)(await ApiClient.ExpectAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice" }), HttpStatusCode.Created))["sessionToken"]!;
        var browser = Browser();
        var token = ConsentScenario.AntiforgeryToken(await (await browser.GetAsync("/permissions")).Content.ReadAsStringAsync());

        var opened = await browser.PostAsync("/permissions/session", Form(token, ("session", session)));

        Assert.Equal("/permissions", opened.Headers.Location!.ToString());
        var cookie = opened.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gx_principal_session=", StringComparison.Ordinal));
        Assert.Contains("path=/permissions", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var html = await (await browser.GetAsync("/permissions")).Content.ReadAsStringAsync();
        Assert.Contains("Acme Travel", html, StringComparison.Ordinal);
        Assert.Contains("Trip Planner", html, StringComparison.Ordinal);
        Assert.Contains("Hotel Booker", html, StringComparison.Ordinal);
        Assert.Contains("Mail &lt;b&gt;Bot&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Bot</b>", html, StringComparison.Ordinal);
        Assert.Contains("Revoke all (3 grants)", html, StringComparison.Ordinal);
        Assert.Contains("Grant created", html, StringComparison.Ordinal);

        var plannerId = (string)ApiClient.Payload((string)plannerGrant["grantToken"]!)["grnt"]!;
        var one = await browser.PostAsync("/permissions/revoke", Form(ConsentScenario.AntiforgeryToken(html), ("grantId", plannerId)));
        Assert.Equal("/permissions?revoked=2", one.Headers.Location!.ToString());
        Assert.False(await api.VerifyAsync((string)plannerGrant["grantToken"]!));
        Assert.True(await api.VerifyAsync((string)mailerGrant["grantToken"]!));
        html = await (await browser.GetAsync("/permissions?revoked=2")).Content.ReadAsStringAsync();
        Assert.Contains("Revoked 2 grants.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Trip Planner", html, StringComparison.Ordinal);

        var all = await browser.PostAsync("/permissions/revoke-all", Form(ConsentScenario.AntiforgeryToken(html), ("confirm", "all")));
        Assert.Equal("/permissions?revoked=1&all=1", all.Headers.Location!.ToString());
        Assert.False(await api.VerifyAsync((string)mailerGrant["grantToken"]!));
        var entries = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries?action=principal.grants_revoked"), HttpStatusCode.OK);
        Assert.Equal(1, (int)entries["entries"]![0]!["metadata"]!["revokedGrants"]!);
        Assert.Contains("No agent can act for you", await (await browser.GetAsync("/permissions?revoked=1&all=1")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task many_grants_come_in_pages_of_twenty_and_revoking_one_returns_to_the_same_page()
    {
        var api = await ApiClient.CreateAsync(factory, name: "Paging Travel");
        var agent = await api.CreateAgentAsync("Trip Planner");
        var grantIds = new List<string>();
        for (var i = 0; i < 45; i++)
        {
            var grant = await api.GrantAsync(agent, ["read"]);
            grantIds.Add((string)ApiClient.Payload((string)grant["grantToken"]!)["grnt"]!);
        }

        grantIds.Reverse(); // the page lists newest first
        var session = (string)(await ApiClient.ExpectAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice" }), HttpStatusCode.Created))["sessionToken"]!;
        var browser = Browser();
        var token = ConsentScenario.AntiforgeryToken(await (await browser.GetAsync("/permissions")).Content.ReadAsStringAsync());
        await browser.PostAsync("/permissions/session", Form(token, ("session", session)));

        async Task<(string Html, List<string> Cards)> PageAsync(string query)
        {
            var html = await (await browser.GetAsync("/permissions" + query)).Content.ReadAsStringAsync();
            var cards = Regex.Matches(html, "<li class=\"gx-grant-card\" data-grant=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
            return (html, cards);
        }

        var first = await PageAsync("");
        Assert.Equal(grantIds[..20], first.Cards);
        Assert.Contains("Revoke all (45 grants)", first.Html, StringComparison.Ordinal); // revoke all still means all
        Assert.Contains("Showing 1–20 of 45, newest first. Page 1 of 3.", WebUtility.HtmlDecode(first.Html), StringComparison.Ordinal);
        Assert.Contains("1 agent can act for you (45 active grants).", first.Html, StringComparison.Ordinal); // one agent, asked 45 times
        Assert.Contains("href=\"/permissions?page=2\"", first.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"permissions-previous\"", first.Html, StringComparison.Ordinal);

        var last = await PageAsync("?page=3");
        Assert.Equal(grantIds[40..], last.Cards);
        Assert.DoesNotContain("id=\"permissions-next\"", last.Html, StringComparison.Ordinal);
        Assert.Equal(last.Cards, (await PageAsync("?page=99")).Cards); // past the end: the last page
        Assert.Equal(first.Cards, (await PageAsync("?page=0")).Cards);
        Assert.Equal(first.Cards, (await PageAsync("?page=-4")).Cards);

        var second = await PageAsync("?page=2");
        Assert.Equal(grantIds[20..40], second.Cards);
        var revoked = await browser.PostAsync("/permissions/revoke", Form(ConsentScenario.AntiforgeryToken(second.Html), ("grantId", grantIds[25]), ("page", "2")));
        Assert.Equal("/permissions?revoked=1&page=2", revoked.Headers.Location!.ToString());
        var after = await PageAsync("?revoked=1&page=2");
        Assert.DoesNotContain(grantIds[25], after.Cards);
        Assert.Equal([.. grantIds[20..25], .. grantIds[26..41]], after.Cards);
        Assert.Contains("Revoked 1 grant.", after.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task another_principals_grant_cannot_be_revoked_from_the_page()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        await api.GrantAsync(agent);
        var bob = await ApiClient.ExpectAsync(await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "bob", scopes = new[] { "read" } }), HttpStatusCode.Created);
        var bobGrant = await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code = (string)bob["code"]!, agentId = agent }), HttpStatusCode.Created);
        var session = (string)(await ApiClient.ExpectAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice" }), HttpStatusCode.Created))["sessionToken"]!;
        var browser = Browser();
        var token = ConsentScenario.AntiforgeryToken(await (await browser.GetAsync("/permissions")).Content.ReadAsStringAsync());
        await browser.PostAsync("/permissions/session", Form(token, ("session", session)));

        var bobId = (string)ApiClient.Payload((string)bobGrant["grantToken"]!)["grnt"]!;
        var response = await browser.PostAsync("/permissions/revoke", Form(token, ("grantId", bobId)));

        Assert.Equal("/permissions?revoked=0", response.Headers.Location!.ToString());
        Assert.True(await api.VerifyAsync((string)bobGrant["grantToken"]!));
    }

    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static FormUrlEncodedContent Form(string? antiforgery, params (string Key, string Value)[] fields) =>
        new([
            .. antiforgery is null ? [] : new[] { new KeyValuePair<string, string>("__RequestVerificationToken", antiforgery) },
            .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)),
        ]);

}
