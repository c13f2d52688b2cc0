using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grantex.Core.Developers;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests;

/// <summary>A developer's view of the API in tests: an HttpClient with its key, and the common flows.</summary>
public sealed class ApiClient(HttpClient http, string developerId, string apiKey)
{
    public HttpClient Http { get; } = http;

    public string DeveloperId { get; } = developerId;

    public string ApiKey { get; } = apiKey;

    public static async Task<ApiClient> CreateAsync(GrantexApp factory, DeveloperMode mode = DeveloperMode.Sandbox, string name = "Test developer")
    {
        var created = await factory.Services.GetRequiredService<DeveloperService>().CreateAsync(name, mode);
        Assert.True(created.IsSuccess);
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value!.ApiKey);
        return new ApiClient(http, created.Value.Developer.Id, created.Value.ApiKey);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object? body) =>
        Http.PostAsync(path, body is null ? null : new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PatchAsync(string path, object body) =>
        Http.PatchAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static async Task<JsonObject> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts the wire format's error body and returns it.</summary>
    public static async Task<JsonObject> ExpectErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await ExpectAsync(response, status);
        Assert.Equal(code, (string?)body["code"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["message"]));
        Assert.True(Guid.TryParse((string?)body["requestId"], out _));
        return body;
    }

    public async Task<string> CreateAgentAsync(string name = "Agent", string[]? redirectUris = null)
    {
        var body = await ExpectAsync(await PostAsync("/v1/agents", new { name, scopes = new[] { "read", "write" }, redirectUris }), HttpStatusCode.Created);
        return (string)body["agentId"]!;
    }

    public async Task<JsonObject> AuthorizeAsync(string agentId, string[]? scopes = null, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["agentId"] = agentId, ["principalId"] = "alice", ["scopes"] = scopes ?? ["read", "write"] };
        if (extra is not null)
        {
            foreach (var p in extra.GetType().GetProperties())
            {
                body[p.Name] = p.GetValue(extra);
            }
        }

        return await ExpectAsync(await PostAsync("/v1/authorize", body), HttpStatusCode.Created);
    }

    /// <summary>Sandbox authorize + exchange: a fresh grant token.</summary>
    public async Task<JsonObject> GrantAsync(string agentId, string[]? scopes = null)
    {
        var code = (string)(await AuthorizeAsync(agentId, scopes))["code"]!;
        return await ExpectAsync(await PostAsync("/v1/token", new { code, agentId }), HttpStatusCode.Created);
    }

    public async Task<bool> VerifyAsync(string token)
    {
        var body = await ExpectAsync(await PostAsync("/v1/tokens/verify", new { token }), HttpStatusCode.OK);
        return (bool)body["valid"]!;
    }

    public static JsonObject Payload(string jwt)
    {
        var part = jwt.Split('.')[1];
        var padded = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(padded))!.AsObject();
    }
}
