using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grantex.Browser.Tests.Console;
using Grantex.Core.Developers;
using Grantex.Core.Identity;
using Grantex.Core.Tokens;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Grantex.Browser.Tests.Consent;

/// <summary>
/// principalAuthentication passkey in a real browser with a virtual authenticator and a real OpenID Connect provider
/// (OpenIddict, in the test): alice signs in once to enrol her passkey on the consent page, then answers with the
/// passkey alone, and the token says hwk. And the developer's server playing a browser (cookie jar, antiforgery token
/// scraped from the page) gets no decision under sso or passkey.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ConsentPasskeyTests(BrowserAppFixture browser) : IAsyncLifetime
{
    private OidcProvider _idp = default!;
    private GrantexApp _app = default!;

    public async Task InitializeAsync()
    {
        _idp = await OidcProvider.StartAsync();
        using (var warm = new HttpClient { Timeout = BrowserAppFixture.Timeout })
        {
            (await warm.GetAsync(_idp.BaseUrl + "/.well-known/openid-configuration")).EnsureSuccessStatusCode();
        }

        _app = GrantexApp.With(new GrantexAppOptions
        {
            Kestrel = true,
            Settings = new Dictionary<string, string?> { ["Grantex:Sso:AllowHttpIssuers"] = "true", ["Grantex:Sso:AllowPrivateNetworks"] = "true" },
        });
        await _app.InitializeAsync();
        _idp.Subject = "idp-alice";
        _idp.UserName = "alice@example.com";
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _idp.DisposeAsync();
    }

    [Fact]
    public async Task alice_enrols_a_passkey_after_signing_in_then_answers_with_the_passkey_alone_and_the_token_says_hwk()
    {
        var (api, agentId) = await DeveloperAsync("passkey");
        var firstUrl = await AuthorizeAsync(api, agentId);
        await using var context = await browser.NewContextAsync(new ViewportSize { Width = 1280, Height = 800 });
        var page = await context.NewPageAsync();
        await VirtualAuthenticator.AddAsync(context, page);

        await page.GotoAsync(firstUrl);
        await Assertions.Expect(page.Locator("[data-identity='passkey-needed']")).ToContainTextAsync("Set up a passkey to answer");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).CountAsync());
        await BrowserAppFixture.ScreenshotAsync(page, "consent-passkey-1-needed-1280");
        await page.Locator("#consent-sign-in").ClickAsync();
        await ConsentPageObject.BackOnConsentAsync(page, _app.BaseUrl);
        await Assertions.Expect(page.Locator("[data-identity='verified']")).ToContainTextAsync("your device creates a passkey");
        await BrowserAppFixture.ScreenshotAsync(page, "consent-passkey-2-signed-in-1280");
        var first = await new ConsentPageObject(page, 200).AllowAsync();
        Assert.NotNull(first.Code);

        var passkeys = await api.GetFromJsonAsync<JsonElement>("/v1/webauthn/credentials?principalId=alice%40example.com");
        Assert.Equal("sso", Assert.Single(passkeys.GetProperty("credentials").EnumerateArray()).GetProperty("enrolment").GetString());

        // The next request: no sign-in, the passkey alone — on a phone-sized window.
        await page.SetViewportSizeAsync(390, 844);
        var secondUrl = await AuthorizeAsync(api, agentId);
        await page.GotoAsync(secondUrl);
        await Assertions.Expect(page.Locator("[data-identity='passkey']")).ToContainTextAsync("Only alice@example.com can answer");
        await BrowserAppFixture.ScreenshotAsync(page, "consent-passkey-3-passkey-only-390");
        var second = await new ConsentPageObject(page, 200).AllowAsync();

        var exchanged = await api.PostAsJsonAsync("/v1/token", new { code = second.Code, agentId });
        var token = (await exchanged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("grantToken").GetString()!;
        var verified = await GrantTokenVerifier.FromJwks(await api.GetStringAsync("/.well-known/jwks.json"))
            .VerifyAsync(token, new GrantTokenVerifierOptions { Issuer = _app.BaseUrl, MinimumIdentity = IdentityLevel.Passkey });
        Assert.True(verified.IsValid, verified.Detail);
        Assert.Equal("urn:grantex:acr:passkey", verified.Grant!.AuthenticationContext);
        Assert.Equal(["hwk", "user"], verified.Grant.AuthenticationMethods);
        Assert.Equal("sso", verified.Grant.Presence!.Enrolment);
        api.Dispose();
    }

    [Theory]
    [InlineData("sso")]
    [InlineData("passkey")]
    public async Task the_developers_server_scraping_the_page_with_a_cookie_jar_gets_no_decision(string level)
    {
        var (api, agentId) = await DeveloperAsync(level);
        var consentUrl = await AuthorizeAsync(api, agentId);
        var requestId = new Uri(consentUrl).Query.Split('=')[1];

        // The attack: load the page as a browser would (cookies kept), take the antiforgery token from the HTML, post Allow.
        using var jar = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(_app.BaseUrl) };
        var html = await jar.GetStringAsync(new Uri(consentUrl).PathAndQuery);
        var antiforgery = AntiforgeryField().Match(html).Groups[1].Value;
        Assert.NotEmpty(antiforgery);
        var form = await jar.PostAsync(new Uri(consentUrl).PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "consent-decision", ["__RequestVerificationToken"] = antiforgery, ["Input.Decision"] = "allow",
        }));
        using var json = new HttpRequestMessage(HttpMethod.Post, $"/v1/consent/{requestId}/approve");
        json.Headers.Add("RequestVerificationToken", antiforgery);
        var approve = await jar.SendAsync(json);

        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        Assert.Null(form.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Equal("IDENTITY_REQUIRED", (await approve.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await jar.GetAsync($"/v1/consent/{requestId}")).StatusCode); // still pending: no code exists
        var refused = await api.GetFromJsonAsync<JsonElement>("/v1/audit/entries?action=consent.identity_refused&pageSize=100");
        Assert.Equal(2, refused.GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("metadata").GetProperty("authRequestId").GetString() == requestId));
        api.Dispose();
    }

    private async Task<(HttpClient Api, string AgentId)> DeveloperAsync(string level)
    {
        var created = await _app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Corp", DeveloperMode.Live);
        var api = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value!.ApiKey);
        var agent = await api.PostAsJsonAsync("/v1/agents", new { name = "Trip Planner", description = "Books trains and hotels.", redirectUris = new[] { AppCallback.RedirectUri } });
        var agentId = (await agent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("agentId").GetString()!;
        var connection = await api.PostAsJsonAsync("/v1/sso/connections", new
        {
            name = "Example SSO", issuerUrl = _idp.BaseUrl + "/", clientId = OidcProvider.ClientId, clientSecret = OidcProvider.ClientSecret, principalClaim = "preferred_username",
        });
        _idp.RedirectUri = (await connection.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callbackUrl").GetString();
        (await api.PatchAsJsonAsync("/v1/me", new { principalAuthentication = level })).EnsureSuccessStatusCode();
        return (api, agentId);
    }

    private static async Task<string> AuthorizeAsync(HttpClient api, string agentId)
    {
        var response = await api.PostAsJsonAsync("/v1/authorize", new
        {
            agentId, principalId = "alice@example.com", scopes = new[] { "calendar:read", "email:send" }, redirectUri = AppCallback.RedirectUri, state = "st-1",
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consentUrl").GetString()!;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
