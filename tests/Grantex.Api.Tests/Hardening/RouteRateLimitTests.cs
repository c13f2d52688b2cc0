using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Api.Tests.Consent;
using Grantex.Console.Components.Account;
using Grantex.Core.Developers;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Hardening;

/// <summary>An app whose authorize and consent routes have limits a test reaches (3 and 2 a minute); the rest stay high.</summary>
public sealed class LowRouteLimitApp : IAsyncLifetime
{
    public GrantexApp App { get; } = GrantexApp.With(new GrantexAppOptions
    {
        Settings = new Dictionary<string, string?>
        {
            ["Grantex:RateLimits:AuthorizePerMinute"] = "3",
            ["Grantex:RateLimits:ConsentPerMinute"] = "2",
        },
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// A caller hammering one sensitive route hits that route's own limit (429, Retry-After, the wire error format) while
/// its other routes, and other developers, keep working.
/// </summary>
public sealed class RouteRateLimitTests(LowRouteLimitApp app) : IClassFixture<LowRouteLimitApp>
{
    [Fact]
    public async Task authorize_has_its_own_limit_per_developer_and_other_routes_still_work()
    {
        var api = await ApiClient.CreateAsync(app.App);
        var other = await ApiClient.CreateAsync(app.App, name: "Other developer");
        var agent = await api.CreateAgentAsync();
        var otherAgent = await other.CreateAgentAsync();
        for (var i = 0; i < 3; i++)
        {
            await api.AuthorizeAsync(agent);
        }

        var limited = await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "alice", scopes = new[] { "read" } });

        var body = await ApiClient.ExpectErrorAsync(limited, HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
        Assert.Matches("retry in [0-9]+ seconds", (string)body["message"]!);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.True(body.ContainsKey("requestId"));
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/v1/agents")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/v1/agents", new { name = "Another", scopes = new[] { "read" } })).StatusCode);
        await other.AuthorizeAsync(otherAgent);
    }

    [Fact]
    public async Task consent_posts_have_their_own_limit_per_client_and_reading_is_not_limited()
    {
        var scenario = await ConsentScenario.CreateAsync(app.App);
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await browser.PostAsync($"/v1/consent/{id}/deny", new FormUrlEncodedContent([]))).StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..2]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2]);
        for (var i = 0; i < 4; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await browser.GetAsync($"/v1/consent/{id}")).StatusCode);
        }

        var page = await browser.PostAsync($"/consent?req={id}", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.NotNull(page.Headers.RetryAfter);
    }
}

/// <summary>
/// Behind a configured reverse proxy (here: loopback, over real Kestrel), a request the proxy received over HTTPS gets
/// <c>Secure</c> console and consent cookies; the same header from a client that is not a configured proxy changes nothing.
/// </summary>
public sealed class ForwardedHttpsCookieTests
{
    private const string Password = "a long enough password";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task cookies_are_secure_when_a_known_proxy_says_https_and_only_then(bool proxyConfigured)
    {
        var settings = new Dictionary<string, string?>();
        if (proxyConfigured)
        {
            settings["Grantex:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
            settings["Grantex:ForwardedHeaders:KnownProxies:1"] = "::1";
        }

        await using var app = GrantexApp.With(new GrantexAppOptions { Kestrel = true, Settings = settings });
        await app.InitializeAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var (user, error) = await scope.ServiceProvider.GetRequiredService<ConsoleAccounts>().CreateAsync("ada", null, Password, ConsoleRoles.Viewer);
            Assert.True(user is not null, error);
        }

        using var console = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(app.BaseUrl) };
        console.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var signIn = await Api.Tests.Console.ConsoleForms.SignInWithPasswordAsync(console, "ada", Password);
        var consoleCookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gx_console=", StringComparison.Ordinal));

        var developer = (await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Corp", DeveloperMode.Live)).Value!;
        using var server = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        server.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", developer.ApiKey);
        var agent = await server.PostAsJsonAsync("/v1/agents", new { name = "Trip Planner", redirectUris = new[] { ConsentScenario.RedirectUri } });
        var agentId = (await agent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("agentId").GetString();
        var authorize = await server.PostAsJsonAsync("/v1/authorize", new { agentId, principalId = "alice", scopes = new[] { "calendar:read" }, redirectUri = ConsentScenario.RedirectUri });
        var id = (await authorize.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authRequestId").GetString();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var page = await browser.GetAsync($"/consent?req={id}");
        var consentCookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gx_consent=", StringComparison.Ordinal));

        Assert.Equal(proxyConfigured, consoleCookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(proxyConfigured, consentCookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }
}
