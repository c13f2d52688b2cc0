using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Core.Developers;
using Grantex.Testing;
using Microsoft.Data.Sqlite;

namespace Grantex.Api.Tests.Sso;

/// <summary>Wire format §7.6 endpoint by endpoint, on a server with the production defaults (https, public addresses only).</summary>
public sealed class SsoApiTests(GrantexApp app) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task legacy_config_is_created_read_and_deleted_in_the_reference_shape_and_the_secret_is_never_returned()
    {
        var (api, _) = await SsoScenario.DeveloperAsync(app);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/v1/sso/config")).StatusCode);

        var created = await api.PostAsJsonAsync("/v1/sso/config", new
        {
            issuerUrl = "https://accounts.google.com", clientId = "cid", clientSecret = "very-secret-value", redirectUri = "https://example.com/sso/callback",
        });
        var body = await ApiClient.ExpectAsync(created, HttpStatusCode.Created);
        Assert.Equal("https://accounts.google.com", (string?)body["issuerUrl"]);
        Assert.Equal("cid", (string?)body["clientId"]);
        Assert.Equal("https://example.com/sso/callback", (string?)body["redirectUri"]);
        Assert.DoesNotContain("very-secret-value", body.ToJsonString(), StringComparison.Ordinal);

        var again = await ApiClient.ExpectAsync(await api.PostAsJsonAsync("/v1/sso/config", new
        {
            issuerUrl = "https://login.example.com", clientId = "cid2", clientSecret = "s2", redirectUri = "https://example.com/sso/callback",
        }), HttpStatusCode.Created);
        Assert.Equal("cid2", (string?)again["clientId"]);
        var read = await ApiClient.ExpectAsync(await api.GetAsync("/v1/sso/config"), HttpStatusCode.OK);
        Assert.Equal("https://login.example.com", (string?)read["issuerUrl"]);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/v1/sso/config")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync("/v1/sso/config")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/v1/sso/config")).StatusCode);
    }

    [Fact]
    public async Task legacy_config_needs_all_four_fields()
    {
        var (api, _) = await SsoScenario.DeveloperAsync(app);
        var body = await ApiClient.ExpectErrorAsync(await api.PostAsJsonAsync("/v1/sso/config", new { issuerUrl = "https://accounts.google.com" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal(["clientId", "clientSecret", "redirectUri"], body["fields"]!.AsArray().Select(f => (string)f!));
    }

    [SqliteFact]
    public async Task client_secrets_are_encrypted_at_rest()
    {
        var (api, developerId) = await SsoScenario.DeveloperAsync(app);
        await ApiClient.ExpectAsync(await api.PostAsJsonAsync("/v1/sso/connections", new
        {
            name = "Okta", protocol = "oidc", issuerUrl = "https://acme.okta.com", clientId = "c", clientSecret = "plain-text-secret-123",
        }), HttpStatusCode.Created);

        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ClientSecretProtected FROM sso_connections WHERE DeveloperId = $d";
        command.Parameters.AddWithValue("$d", developerId);
        var stored = (string)(await command.ExecuteScalarAsync())!;
        Assert.DoesNotContain("plain-text-secret-123", stored, StringComparison.Ordinal);
        Assert.True(stored.Length > 40);
    }

    [Fact]
    public async Task connections_are_created_listed_read_changed_and_deleted_and_saml_and_ldap_are_not_supported()
    {
        var (api, developerId) = await SsoScenario.DeveloperAsync(app);
        var created = await ApiClient.ExpectAsync(await api.PostAsJsonAsync("/v1/sso/connections", new
        {
            name = "Entra", protocol = "oidc", issuerUrl = "https://login.example.com/tenant/v2.0", clientId = "c1", clientSecret = "s1", domains = new[] { "Example.com" },
        }), HttpStatusCode.Created);
        var id = (string)created["id"]!;
        Assert.StartsWith("sso_", id, StringComparison.Ordinal);
        Assert.Equal(developerId, (string?)created["developerId"]);
        Assert.Equal("active", (string?)created["status"]);
        Assert.Equal(["example.com"], created["domains"]!.AsArray().Select(d => (string)d!));
        Assert.Equal("email", (string?)created["principalClaim"]);
        Assert.EndsWith("/sso/oidc/callback/" + id, (string?)created["callbackUrl"], StringComparison.Ordinal);
        Assert.Null(created["clientSecret"]);

        var list = await ApiClient.ExpectAsync(await api.GetAsync("/v1/sso/connections"), HttpStatusCode.OK);
        Assert.Equal([id], list["connections"]!.AsArray().Select(c => (string)c!["id"]!));
        var patched = await ApiClient.ExpectAsync(await api.PatchAsJsonAsync($"/v1/sso/connections/{id}", new { status = "inactive", principalClaim = "preferred_username" }), HttpStatusCode.OK);
        Assert.Equal("inactive", (string?)patched["status"]);
        Assert.Equal("preferred_username", (string?)patched["principalClaim"]);
        Assert.Equal("inactive", (string?)(await ApiClient.ExpectAsync(await api.GetAsync($"/v1/sso/connections/{id}"), HttpStatusCode.OK))["status"]);

        foreach (var protocol in new[] { "saml", "ldap" })
        {
            var refused = await ApiClient.ExpectErrorAsync(await api.PostAsJsonAsync("/v1/sso/connections", new { name = "x", protocol }), HttpStatusCode.BadRequest, "BAD_REQUEST");
            Assert.Contains("not supported", (string?)refused["message"], StringComparison.Ordinal);
        }

        var (other, _) = await SsoScenario.DeveloperAsync(app);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/sso/connections/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/v1/sso/connections/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/v1/sso/connections/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/v1/sso/connections/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("http://login.example.com", "issuerUrl")]
    [InlineData("https://login.example.com/?x=1", "issuerUrl")]
    [InlineData("ftp://login.example.com", "issuerUrl")]
    public async Task bad_issuer_urls_are_refused_naming_the_field(string issuerUrl, string field)
    {
        var (api, _) = await SsoScenario.DeveloperAsync(app);
        var body = await ApiClient.ExpectErrorAsync(await api.PostAsJsonAsync("/v1/sso/connections", new { name = "x", issuerUrl, clientId = "c", clientSecret = "s" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal([field], body["fields"]!.AsArray().Select(f => (string)f!));
        Assert.Empty((await ApiClient.ExpectAsync(await api.GetAsync("/v1/sso/connections"), HttpStatusCode.OK))["connections"]!.AsArray());
    }

    [Fact]
    public async Task testing_a_connection_on_a_private_address_says_what_is_wrong()
    {
        var (api, _) = await SsoScenario.DeveloperAsync(app);
        var id = (string)(await ApiClient.ExpectAsync(await api.PostAsJsonAsync("/v1/sso/connections", new
        {
            name = "Internal", issuerUrl = "https://127.0.0.1:9", clientId = "c", clientSecret = "s",
        }), HttpStatusCode.Created))["id"]!;

        var test = await api.PostAsync($"/v1/sso/connections/{id}/test", null);

        var body = await ApiClient.ExpectAsync(test, HttpStatusCode.UnprocessableEntity);
        Assert.False((bool)body["success"]!);
        Assert.Contains("not a public address", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task sso_login_needs_org_and_a_configured_connection()
    {
        using var anyone = app.CreateClient();
        var missing = await anyone.GetAsync("/sso/login");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("org query parameter is required", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync("/sso/login?org=dev_unknown")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anyone.PostAsync("/sso/callback/saml", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anyone.PostAsync("/sso/callback/ldap", null)).StatusCode);
    }

    [Fact]
    public async Task principal_authentication_is_shown_by_me_and_sso_needs_an_active_connection_and_a_live_developer()
    {
        var (api, _) = await SsoScenario.DeveloperAsync(app);
        Assert.Equal("none", (string?)(await ApiClient.ExpectAsync(await api.GetAsync("/v1/me"), HttpStatusCode.OK))["principalAuthentication"]);
        await ApiClient.ExpectErrorAsync(await api.PatchAsJsonAsync("/v1/me", new { principalAuthentication = "sso" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PatchAsJsonAsync("/v1/me", new { principalAuthentication = "magic" }), HttpStatusCode.BadRequest, "BAD_REQUEST");

        var id = (string)(await ApiClient.ExpectAsync(await api.PostAsJsonAsync("/v1/sso/connections", new
        {
            name = "Okta", issuerUrl = "https://acme.okta.com", clientId = "c", clientSecret = "s",
        }), HttpStatusCode.Created))["id"]!;
        var patched = await ApiClient.ExpectAsync(await api.PatchAsJsonAsync("/v1/me", new { principalAuthentication = "sso" }), HttpStatusCode.OK);
        Assert.Equal("sso", (string?)patched["principalAuthentication"]);
        Assert.Equal("sso", (string?)(await ApiClient.ExpectAsync(await api.GetAsync("/v1/me"), HttpStatusCode.OK))["principalAuthentication"]);
        await ApiClient.ExpectErrorAsync(await api.DeleteAsync($"/v1/sso/connections/{id}"), HttpStatusCode.Conflict, "CONFLICT");

        var (sandbox, _) = await SsoScenario.DeveloperAsync(app, DeveloperMode.Sandbox);
        await ApiClient.ExpectErrorAsync(await sandbox.PatchAsJsonAsync("/v1/me", new { principalAuthentication = "sso" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }
}
