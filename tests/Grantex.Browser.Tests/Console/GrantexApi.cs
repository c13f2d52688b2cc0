using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Grantex.Browser.Tests.Console;

/// <summary>A developer's server calling the REST API with its key (what makes grants appear in the console).</summary>
internal sealed class GrantexApi(string baseUrl, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl) };

    public async Task<string> CreateAgentAsync(string name, params string[] scopes)
    {
        var body = await SendAsync(HttpMethod.Post, "/v1/agents", new { name, description = "Created by the browser test", scopes });
        return body.GetProperty("agentId").GetString()!;
    }

    /// <summary>Sandbox authorize (the code comes back at once) and the code exchange: a new root grant.</summary>
    public async Task<(string GrantId, string Token)> GrantAsync(string agentId, string principalId, params string[] scopes)
    {
        var authorized = await SendAsync(HttpMethod.Post, "/v1/authorize", new { agentId, principalId, scopes });
        var code = authorized.GetProperty("code").GetString();
        var token = await SendAsync(HttpMethod.Post, "/v1/token", new { code, agentId });
        return (token.GetProperty("grantId").GetString()!, token.GetProperty("grantToken").GetString()!);
    }

    public async Task<(string GrantId, string Token)> DelegateAsync(string parentToken, string subAgentId, params string[] scopes)
    {
        var body = await SendAsync(HttpMethod.Post, "/v1/grants/delegate", new { parentGrantToken = parentToken, subAgentId, scopes, expiresIn = "1h" });
        return (body.GetProperty("grantId").GetString()!, body.GetProperty("grantToken").GetString()!);
    }

    public async Task<bool> VerifyAsync(string token)
    {
        var body = await SendAsync(HttpMethod.Post, "/v1/tokens/verify", new { token });
        return body.GetProperty("valid").GetBoolean();
    }

    /// <summary>Revokes a grant and its delegations (<c>DELETE /v1/grants/{id}</c>).</summary>
    public async Task RevokeAsync(string grantId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/grants/{grantId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"DELETE /v1/grants/{grantId} answered {(int)response.StatusCode}");
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
