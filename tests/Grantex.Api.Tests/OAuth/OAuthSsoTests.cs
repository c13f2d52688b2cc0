using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grantex.Api.Tests.Consent;
using Grantex.Api.Tests.Sso;

namespace Grantex.Api.Tests.OAuth;

/// <summary>
/// An OAuth client that names no one, at a developer whose identity level is <c>sso</c>: the person signs in on the
/// consent page and that sign-in names the grant's principal; without it nothing can be decided.
/// </summary>
public sealed class OAuthSsoTests(SsoApp fixture) : IClassFixture<SsoApp>
{
    [Fact]
    public async Task The_consent_sign_in_names_the_principal_and_the_token_carries_the_identity()
    {
        await using var sso = await SsoScenario.CreateAsync(fixture.App);
        using var api = sso.Consent.DeveloperServer();
        (await api.PutAsJsonAsync("/v1/oauth/resources", new { resources = new[] { OAuthScenario.Resource } })).EnsureSuccessStatusCode();
        var initial = (await (await api.PostAsJsonAsync("/v1/oauth/registration-tokens", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var anonymous = fixture.App.CreateClient();
        using var register = new HttpRequestMessage(HttpMethod.Post, "/oauth/register")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { redirect_uris = new[] { OAuthScenario.RedirectUri }, token_endpoint_auth_method = "none", client_name = "Desk Assistant" }),
                Encoding.UTF8, "application/json"),
        };
        register.Headers.Authorization = new("Bearer", initial);
        var clientId = (string)(await ApiClient.ExpectAsync(await anonymous.SendAsync(register), HttpStatusCode.Created))["client_id"]!;

        var (verifier, challenge) = OAuthScenario.NewPkce();
        using var browser = sso.Browser();
        var authorize = await browser.GetAsync(OAuthScenario.AuthorizeUrl(clientId, challenge));
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var requestId = ConsentScenario.Query(authorize.Headers.Location!, "req");
        var before = await sso.PageAsync(browser, requestId);
        Assert.Contains("your sign-in decides in whose name", before, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"consent-allow\"", before, StringComparison.Ordinal);

        // Without the sign-in, a scripted approval is refused and audited.
        var refused = await browser.PostAsync($"/consent?req={requestId}", ConsentScenario.DecisionForm(ConsentScenario.AntiforgeryToken(before), "allow"));
        Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode);

        var callback = await sso.SignInAsync(browser, requestId);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var page = await sso.PageAsync(browser, requestId);
        Assert.Contains("Signed in as <strong>alice@example.com</strong>", page, StringComparison.Ordinal);
        var decided = await browser.PostAsync($"/consent?req={requestId}", ConsentScenario.DecisionForm(ConsentScenario.AntiforgeryToken(page), "allow"));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        var code = ConsentScenario.Query(decided.Headers.Location!, "code");

        using var token = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Content = new FormUrlEncodedContent(OAuthScenario.CodeForm(clientId, code, verifier).Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))),
        };
        var tokens = await ApiClient.ExpectAsync(await anonymous.SendAsync(token), HttpStatusCode.OK);
        var claims = ApiClient.Payload((string)tokens["access_token"]!);
        Assert.Equal("alice@example.com", (string?)claims["sub"]);
        Assert.Equal("urn:grantex:acr:sso", (string?)claims["acr"]);
        Assert.Equal(OAuthScenario.Resource, (string?)claims["aud"]);
        Assert.NotEmpty(await sso.Consent.AuditAsync("consent.identity_refused"));
    }
}
