using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grantex.Testing;

namespace Grantex.Api.Tests.Principals;

/// <summary>An identity provider's SCIM client: the developer's SCIM token as Bearer, bodies as application/scim+json.</summary>
internal sealed class ScimClient(HttpClient http, string tokenId, string token)
{
    public HttpClient Http { get; } = http;

    public string TokenId { get; } = tokenId;

    public string Token { get; } = token;

    public static async Task<ScimClient> CreateAsync(GrantexApp factory, ApiClient api, string label = "Entra ID")
    {
        var body = await ApiClient.ExpectAsync(await api.PostAsync("/v1/scim/tokens", new { label }), HttpStatusCode.Created);
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body["token"]!);
        return new ScimClient(http, (string)body["id"]!, (string)body["token"]!);
    }

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/scim+json");

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Http.PostAsync(path, Json(body));

    public Task<HttpResponseMessage> PutAsync(string path, object body) => Http.PutAsync(path, Json(body));

    public Task<HttpResponseMessage> PatchAsync(string path, object body) => Http.PatchAsync(path, Json(body));

    public async Task<JsonObject> CreateUserAsync(string userName, object? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["schemas"] = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" },
            ["userName"] = userName,
            ["displayName"] = "Display " + userName,
        };
        foreach (var p in extra?.GetType().GetProperties() ?? [])
        {
            body[p.Name] = p.GetValue(extra);
        }

        return await ExpectAsync(await PostAsync("/scim/v2/Users", body), HttpStatusCode.Created);
    }

    public async Task<JsonObject> SetActiveAsync(string id, bool active) =>
        await ExpectAsync(await PatchAsync($"/scim/v2/Users/{id}", new
        {
            schemas = new[] { "urn:ietf:params:scim:api:messages:2.0:PatchOp" },
            Operations = new[] { new { op = "Replace", path = "active", value = (object)active } },
        }), HttpStatusCode.OK);

    public static async Task<JsonObject> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        if (text.Length > 0)
        {
            Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        }

        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts SCIM's error shape (RFC 7644 §3.12) and returns it.</summary>
    public static async Task<JsonObject> ExpectErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? scimType)
    {
        var body = await ExpectAsync(response, status);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", (string?)body["schemas"]![0]);
        Assert.Equal((int)status, (int)body["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["detail"]));
        Assert.Equal(scimType, (string?)body["scimType"]);
        return body;
    }
}
