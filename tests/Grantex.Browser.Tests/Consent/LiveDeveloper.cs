using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Core.Developers;
using Grantex.Core.Tokens;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Browser.Tests.Consent;

/// <summary>A live developer with one agent on the running app, driven through the real HTTP API with its key.</summary>
internal sealed class LiveDeveloper : IDisposable
{
    private LiveDeveloper(BrowserAppFixture app, HttpClient api, string agentId)
    {
        App = app;
        Api = api;
        AgentId = agentId;
    }

    public BrowserAppFixture App { get; }

    public HttpClient Api { get; }

    public string AgentId { get; }

    public static async Task<LiveDeveloper> CreateAsync(
        BrowserAppFixture app, string name = "Acme Corp", string agentName = "Trip Planner",
        string description = "Books trains and hotels for your trips.", string? presenceRequirement = null)
    {
        var created = await app.Services.GetRequiredService<DeveloperService>().CreateAsync(name, DeveloperMode.Live);
        var api = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value!.ApiKey);
        var agent = await api.PostAsJsonAsync("/v1/agents", new { name = agentName, description, redirectUris = new[] { AppCallback.RedirectUri } });
        agent.EnsureSuccessStatusCode();
        if (presenceRequirement is not null)
        {
            (await api.PatchAsJsonAsync("/v1/me", new { presenceRequirement })).EnsureSuccessStatusCode();
        }

        return new LiveDeveloper(app, api, (await agent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("agentId").GetString()!);
    }

    /// <summary><c>POST /v1/authorize</c>; returns (authRequestId, consentUrl).</summary>
    public async Task<(string Id, string ConsentUrl)> AuthorizeAsync(
        string[]? scopes = null, bool withRedirect = true, string? state = "st-42", string principalId = "alice@example.com", string? audience = null)
    {
        var redirectUri = withRedirect ? AppCallback.RedirectUri : null;
        var response = await Api.PostAsJsonAsync("/v1/authorize", new
        {
            agentId = AgentId,
            principalId,
            scopes = scopes ?? ["calendar:read", "email:send", "payments:initiate:max_500", "crm:contacts:export"],
            redirectUri,
            state,
            audience,
            expiresIn = "24h",
        });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("authRequestId").GetString()!, body.GetProperty("consentUrl").GetString()!);
    }

    public async Task<string> ExchangeAsync(string code)
    {
        var response = await Api.PostAsJsonAsync("/v1/token", new { code, agentId = AgentId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("grantToken").GetString()!;
    }

    /// <summary>Verifies a grant token offline, as a resource server would: the JWKS and Core's verifier, nothing else.</summary>
    public async Task<VerifiedGrant> VerifyOfflineAsync(string grantToken)
    {
        var jwks = await Api.GetStringAsync("/.well-known/jwks.json");
        var verification = await GrantTokenVerifier.FromJwks(jwks).VerifyAsync(grantToken, new GrantTokenVerifierOptions { Issuer = App.BaseUrl });
        Assert.True(verification.IsValid, verification.Detail);
        return verification.Grant!;
    }

    public async Task<JsonElement> StatusAsync(string requestId) =>
        await (await new HttpClient { BaseAddress = new Uri(App.BaseUrl) }.GetAsync($"/v1/consent/{requestId}")).Content.ReadFromJsonAsync<JsonElement>();

    public async Task<IReadOnlyList<JsonElement>> PasskeysAsync(string principalId = "alice@example.com")
    {
        var list = await Api.GetFromJsonAsync<JsonElement>($"/v1/webauthn/credentials?principalId={Uri.EscapeDataString(principalId)}");
        return [.. list.GetProperty("credentials").EnumerateArray()];
    }

    /// <summary>Test-only surgery on the app's database file (the clock cannot be moved for a running app).</summary>
    public async Task ExecuteSqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={App.DatabasePath};Default Timeout=60");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public void Dispose() => Api.Dispose();
}
