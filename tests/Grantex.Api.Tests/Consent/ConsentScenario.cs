using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grantex.Core.Developers;
using Grantex.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Consent;

/// <summary>A live developer with an agent, and helpers to open consent pages as a browser would (cookies kept, no auto-redirect).</summary>
internal sealed partial class ConsentScenario
{
    public const string RedirectUri = "https://app.example.com/callback";

    private ConsentScenario(GrantexApp factory, string apiKey, string agentId)
    {
        Factory = factory;
        ApiKey = apiKey;
        AgentId = agentId;
    }

    public GrantexApp Factory { get; }

    public string ApiKey { get; }

    public string AgentId { get; }

    public static async Task<ConsentScenario> CreateAsync(GrantexApp factory, string? presenceRequirement = null)
    {
        var created = await factory.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Corp", DeveloperMode.Live);
        var apiKey = created.Value!.ApiKey;
        using var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var agent = await api.PostAsJsonAsync("/v1/agents", new { name = "Trip Planner", description = "Books trips.", redirectUris = new[] { RedirectUri } });
        agent.EnsureSuccessStatusCode();
        var agentId = (await agent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("agentId").GetString()!;
        if (presenceRequirement is not null)
        {
            (await api.PatchAsJsonAsync("/v1/me", new { presenceRequirement })).EnsureSuccessStatusCode();
        }

        return new ConsentScenario(factory, apiKey, agentId);
    }

    /// <summary>A client holding the developer's API key (the developer's own server).</summary>
    public HttpClient DeveloperServer()
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    /// <summary>A person's browser: keeps cookies, does not follow redirects.</summary>
    public HttpClient Browser() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<string> AuthorizeAsync(string[]? scopes = null, string? redirectUri = RedirectUri, string? state = "state-123")
    {
        using var api = DeveloperServer();
        var response = await api.PostAsJsonAsync("/v1/authorize", new
        {
            agentId = AgentId,
            principalId = "alice@example.com",
            scopes = scopes ?? ["calendar:read", "email:send"],
            redirectUri,
            state,
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authRequestId").GetString()!;
    }

    /// <summary>Opens the consent page in <paramref name="browser"/> and returns its antiforgery token.</summary>
    public static async Task<string> OpenConsentPageAsync(HttpClient browser, string requestId)
    {
        var page = await browser.GetAsync($"/consent?req={requestId}");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        return AntiforgeryToken(await page.Content.ReadAsStringAsync());
    }

    public static string AntiforgeryToken(string html) => TokenField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page.");

    public static FormUrlEncodedContent DecisionForm(string token, string decision, params (string Key, string Value)[] extra) =>
        new([
            new("_handler", "consent-decision"),
            new("__RequestVerificationToken", token),
            new("Input.Decision", decision),
            .. extra.Select(e => new KeyValuePair<string, string>(e.Key, e.Value)),
        ]);

    public async Task<JsonElement> ExchangeAsync(string code)
    {
        using var api = DeveloperServer();
        var response = await api.PostAsJsonAsync("/v1/token", new { code, agentId = AgentId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<IReadOnlyList<JsonElement>> AuditAsync(string action)
    {
        using var api = DeveloperServer();
        var page = await api.GetFromJsonAsync<JsonElement>($"/v1/audit/entries?action={action}&pageSize=100");
        return [.. page.GetProperty("entries").EnumerateArray()];
    }

    public static string Query(Uri location, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query).TryGetValue(name, out var v) ? v.ToString() : "";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
