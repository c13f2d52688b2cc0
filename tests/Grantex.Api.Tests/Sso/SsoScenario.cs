using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Api.Tests.Consent;
using Grantex.Core.Developers;
using Grantex.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Sso;

/// <summary>A live developer whose consents need a sign-in at <see cref="Idp"/>, and a person's browser that goes there and back.</summary>
internal sealed class SsoScenario : IAsyncDisposable
{
    private SsoScenario(GrantexApp app, FakeIdp idp, ConsentScenario consent, string connectionId)
    {
        App = app;
        Idp = idp;
        Consent = consent;
        ConnectionId = connectionId;
    }

    public GrantexApp App { get; }

    public FakeIdp Idp { get; }

    public ConsentScenario Consent { get; }

    public string ConnectionId { get; }

    public static async Task<SsoScenario> CreateAsync(GrantexApp app, string principalClaim = "email", bool requireSso = true)
    {
        var idp = await FakeIdp.StartAsync();
        var consent = await ConsentScenario.CreateAsync(app);
        using var api = consent.DeveloperServer();
        var created = await api.PostAsJsonAsync("/v1/sso/connections", new
        {
            name = "Example IdP", protocol = "oidc", issuerUrl = idp.Issuer, clientId = FakeIdp.ClientId, clientSecret = FakeIdp.ClientSecret, principalClaim,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var connectionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        if (requireSso)
        {
            var patched = await api.PatchAsJsonAsync("/v1/me", new { principalAuthentication = "sso" });
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        return new SsoScenario(app, idp, consent, connectionId);
    }

    public HttpClient Browser() => Consent.Browser();

    /// <summary>
    /// Consent page → sign-in start → provider → the app's callback, as a browser would (cookies kept), with the
    /// callback URL optionally altered; returns the callback's response.
    /// </summary>
    public async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string requestId, Func<Uri, Uri>? alterCallback = null)
    {
        var start = await browser.GetAsync($"/consent/sso?req={requestId}");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith(Idp.Issuer + "/authorize", start.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var idpBrowser = Idp.Client();
        var answer = await idpBrowser.GetAsync(start.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var callback = alterCallback is null ? answer.Headers.Location! : alterCallback(answer.Headers.Location!);
        return await browser.GetAsync(callback.PathAndQuery);
    }

    public async Task<string> PageAsync(HttpClient browser, string requestId, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var page = await browser.GetAsync($"/consent?req={requestId}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == expected, $"Expected {expected}, got {page.StatusCode}");
        return html;
    }

    public async Task<string> StatusAsync(string requestId)
    {
        using var anyone = App.CreateClient();
        var response = await anyone.GetAsync($"/v1/consent/{requestId}");
        return response.StatusCode == HttpStatusCode.OK ? "pending" : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync() => await Idp.DisposeAsync();

    public static HttpClient ApiFor(GrantexApp app, string apiKey)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public static async Task<(HttpClient Api, string DeveloperId)> DeveloperAsync(GrantexApp app, DeveloperMode mode = DeveloperMode.Live)
    {
        var created = await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme " + Guid.NewGuid().ToString("N")[..6], mode);
        return (ApiFor(app, created.Value!.ApiKey), created.Value.Developer.Id);
    }
}
