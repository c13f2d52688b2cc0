using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Browser.Tests.Console;
using Grantex.Core.Developers;
using Grantex.Core.Identity;
using Grantex.Core.Tokens;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Grantex.Browser.Tests.Consent;

/// <summary>
/// principalAuthentication sso in a real browser against a real OpenID Connect provider (OpenIddict, in the test):
/// alice signs in and approves, and the token says how she was identified; signed in as bob, alice's request is refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsentSsoTests(BrowserAppFixture browser) : IAsyncLifetime
{
    private OidcProvider _idp = default!;
    private GrantexApp _app = default!;

    public async Task InitializeAsync()
    {
        _idp = await OidcProvider.StartAsync();
        using (var warm = new HttpClient { Timeout = BrowserAppFixture.Timeout })
        {
            // OpenIddict's first answer takes seconds on a loaded machine; the app gives a provider 10.
            (await warm.GetAsync(_idp.BaseUrl + "/.well-known/openid-configuration")).EnsureSuccessStatusCode();
        }

        _app = GrantexApp.With(new GrantexAppOptions
        {
            Kestrel = true,
            CaptureLogs = true,
            Settings = new Dictionary<string, string?> { ["Grantex:Sso:AllowHttpIssuers"] = "true", ["Grantex:Sso:AllowPrivateNetworks"] = "true" },
        });
        await _app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _idp.DisposeAsync();
    }

    [Fact]
    public async Task alice_signs_in_at_her_identity_provider_and_approves_then_bob_is_refused_for_alices_request()
    {
        var created = await _app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Corp", DeveloperMode.Live);
        using var api = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value!.ApiKey);
        var agent = await api.PostAsJsonAsync("/v1/agents", new { name = "Trip Planner", description = "Books trains and hotels.", redirectUris = new[] { AppCallback.RedirectUri } });
        var agentId = (await agent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("agentId").GetString()!;
        var connection = await api.PostAsJsonAsync("/v1/sso/connections", new
        {
            name = "Example SSO", issuerUrl = _idp.BaseUrl + "/", clientId = OidcProvider.ClientId, clientSecret = OidcProvider.ClientSecret, principalClaim = "preferred_username",
        });
        var connectionBody = await connection.Content.ReadFromJsonAsync<JsonElement>();
        _idp.RedirectUri = connectionBody.GetProperty("callbackUrl").GetString();
        (await api.PatchAsJsonAsync("/v1/me", new { principalAuthentication = "sso" })).EnsureSuccessStatusCode();

        // Alice.
        _idp.Subject = "idp-alice";
        _idp.UserName = "alice@example.com";
        var aliceUrl = await AuthorizeAsync(api, agentId);
        await using (var context = await browser.NewContextAsync(new ViewportSize { Width = 1280, Height = 800 }))
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(aliceUrl);
            await Assertions.Expect(page.Locator("#consent-sign-in")).ToBeVisibleAsync();
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).CountAsync());
            await BrowserAppFixture.ScreenshotAsync(page, "consent-sso-1-sign-in-needed-1280");
            await page.Locator("#consent-sign-in").ClickAsync();
            try
            {
                await ConsentPageObject.BackOnConsentAsync(page, _app.BaseUrl);
            }
            catch (Exception e) when (e is TimeoutException or PlaywrightException)
            {
                Assert.Fail(page.Url + "\n" + string.Join("\n", _app.Logs.Where(l => l.Contains("xception", StringComparison.Ordinal)).Take(3)));
            }

            await Assertions.Expect(page.Locator("[data-identity='verified']")).ToContainTextAsync("Signed in as alice@example.com");
            await BrowserAppFixture.ScreenshotAsync(page, "consent-sso-2-signed-in-1280");
            var consent = new ConsentPageObject(page, 200);
            var callback = await consent.AllowAsync();

            var exchanged = await api.PostAsJsonAsync("/v1/token", new { code = callback.Code, agentId });
            var token = (await exchanged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("grantToken").GetString()!;
            var verified = await GrantTokenVerifier.FromJwks(await api.GetStringAsync("/.well-known/jwks.json"))
                .VerifyAsync(token, new GrantTokenVerifierOptions { Issuer = _app.BaseUrl, MinimumIdentity = IdentityLevel.Sso });
            Assert.True(verified.IsValid, verified.Detail);
            Assert.Equal("urn:grantex:acr:sso", verified.Grant!.AuthenticationContext);
            Assert.Equal("fed", verified.Grant.AuthenticationMethods[0]);
            Assert.Equal("idp-alice", verified.Grant.Identity.Subject);
            Assert.Equal(_idp.BaseUrl + "/", verified.Grant.Identity.Issuer);
        }

        // Bob, on a phone, opens alice's request.
        _idp.Subject = "idp-bob";
        _idp.UserName = "bob@example.com";
        var bobUrl = await AuthorizeAsync(api, agentId);
        await using (var context = await browser.NewContextAsync(new ViewportSize { Width = 390, Height = 844 }))
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(bobUrl);
            await BrowserAppFixture.ScreenshotAsync(page, "consent-sso-3-sign-in-needed-390");
            await page.Locator("#consent-sign-in").ClickAsync();
            await Assertions.Expect(page.Locator("[data-identity='refused']")).ToContainTextAsync("You are signed in as bob@example.com; this request is for alice@example.com");
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).CountAsync());
            await BrowserAppFixture.ScreenshotAsync(page, "consent-sso-4-bob-refused-390");
        }

        var status = await new HttpClient { BaseAddress = new Uri(_app.BaseUrl) }.GetAsync(new Uri(bobUrl).PathAndQuery.Replace("/consent?req=", "/v1/consent/", StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.OK, status.StatusCode); // still pending
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
}
