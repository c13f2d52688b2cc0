using System.Net;
using System.Net.Http.Headers;
using Grantex.Core.Developers;
using Grantex.Testing;

namespace Grantex.Api.Tests;

public sealed class WellKnownAndAuthTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task health_reports_healthy_with_the_database_ok()
    {
        var body = await ApiClient.ExpectAsync(await factory.CreateClient().GetAsync("/health"), HttpStatusCode.OK);
        Assert.Equal("healthy", (string?)body["status"]);
        Assert.Equal("ok", (string?)body["database"]);
    }

    [Fact]
    public async Task jwks_publishes_only_rsa_rs256_keys_and_is_not_rate_limited()
    {
        var response = await factory.CreateClient().GetAsync("/.well-known/jwks.json");
        var body = await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        var keys = body["keys"]!.AsArray();
        Assert.NotEmpty(keys);
        Assert.All(keys, k =>
        {
            Assert.Equal("RSA", (string?)k!["kty"]);
            Assert.Equal("RS256", (string?)k["alg"]);
            Assert.StartsWith("sk_", (string?)k["kid"]);
            Assert.Null(k["d"]);
        });
        Assert.False(response.Headers.Contains("x-ratelimit-limit"));
    }

    [Fact]
    public async Task a_request_without_authorization_gets_401_in_the_wire_format()
    {
        var body = await ApiClient.ExpectErrorAsync(await factory.CreateClient().GetAsync("/v1/agents"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Missing or invalid Authorization header", (string?)body["message"]);
    }

    [Theory]
    [InlineData("Bearer invalid-api-key-12345")]
    [InlineData("Bearer gx_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Bearer short")]
    [InlineData("Bearer eyJhbGciOiJSUzI1NiJ9.eyJwdXJwb3NlIjoicHJpbmNpcGFsX2Rhc2hib2FyZCJ9.c2ln")]
    public async Task an_unknown_or_malformed_key_gets_the_same_401(string header)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        var body = await ApiClient.ExpectErrorAsync(await client.GetAsync("/v1/agents"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Invalid API key", (string?)body["message"]);
    }

    [Fact]
    public async Task a_header_that_is_not_bearer_gets_401()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        await ApiClient.ExpectErrorAsync(await client.GetAsync("/v1/grants"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task me_describes_the_developer_and_patch_changes_the_passkey_setting()
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live, "Acme Corp");
        var me = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/me"), HttpStatusCode.OK);
        Assert.Equal(api.DeveloperId, (string?)me["developerId"]);
        Assert.Equal("Acme Corp", (string?)me["name"]);
        Assert.Equal("live", (string?)me["mode"]);
        Assert.False((bool)me["fidoRequired"]!);

        var patched = await ApiClient.ExpectAsync(await api.PatchAsync("/v1/me", new { presenceRequirement = "high_risk" }), HttpStatusCode.OK);
        Assert.True((bool)patched["updated"]!);
        me = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/me"), HttpStatusCode.OK);
        Assert.Equal("high_risk", (string?)me["presenceRequirement"]);

        await ApiClient.ExpectErrorAsync(await api.PatchAsync("/v1/me", new { }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PatchAsync("/v1/me", new { presenceRequirement = "sometimes" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task rotating_the_key_without_a_body_issues_a_new_key_and_the_old_one_stops_working()
    {
        var api = await ApiClient.CreateAsync(factory);
        var rotated = await ApiClient.ExpectAsync(await api.Http.PostAsync("/v1/keys/rotate", null), HttpStatusCode.OK);
        var newKey = (string)rotated["apiKey"]!;
        Assert.StartsWith("gx_test_", newKey);
        Assert.NotEqual(api.ApiKey, newKey);

        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        api.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", newKey);
        await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task signup_is_refused_unless_the_operator_enabled_it()
    {
        var response = await factory.CreateClient().PostAsync("/v1/signup", new StringContent("{\"name\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));
        await ApiClient.ExpectErrorAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task the_openapi_document_lists_every_endpoint()
    {
        var body = await ApiClient.ExpectAsync(await factory.CreateClient().GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        var paths = body["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var path in new[] { "/v1/agents", "/v1/authorize", "/v1/token", "/v1/token/refresh", "/v1/tokens/verify", "/v1/tokens/revoke",
            "/v1/grants", "/v1/grants/{id}", "/v1/grants/delegate", "/v1/grants/verify", "/v1/audit/log", "/v1/audit/entries", "/v1/audit/verify",
            "/v1/audit/{id}", "/v1/consent/{id}", "/v1/events/stream", "/v1/me", "/v1/keys/rotate", "/.well-known/jwks.json", "/health" })
        {
            Assert.Contains(path, paths);
        }
    }
}
