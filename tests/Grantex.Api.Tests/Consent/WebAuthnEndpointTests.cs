using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Testing;

namespace Grantex.Api.Tests.Consent;

/// <summary>Passkey enrolment through the API (wire format §3.5.6): options, verify, list, delete, per developer.</summary>
public sealed class WebAuthnEndpointTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task registration_options_carry_a_single_use_challenge_for_the_principal()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        using var api = scenario.DeveloperServer();

        var response = await api.PostAsJsonAsync("/v1/webauthn/register/options", new { principalId = "bob" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("wac_", body.GetProperty("challengeId").GetString(), StringComparison.Ordinal);
        var publicKey = body.GetProperty("publicKey");
        Assert.Equal("bob", publicKey.GetProperty("user").GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(publicKey.GetProperty("challenge").GetString()));
        Assert.Equal(0, publicKey.GetProperty("excludeCredentials").GetArrayLength());
    }

    [Fact]
    public async Task options_without_a_principal_are_refused()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        using var api = scenario.DeveloperServer();

        var response = await api.PostAsJsonAsync("/v1/webauthn/register/options", new { });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task a_challenge_cannot_be_answered_by_another_developer_and_stays_usable_for_its_owner()
    {
        var owner = await ConsentScenario.CreateAsync(factory);
        var other = await ConsentScenario.CreateAsync(factory);
        using var ownerApi = owner.DeveloperServer();
        using var otherApi = other.DeveloperServer();
        var options = await (await ownerApi.PostAsJsonAsync("/v1/webauthn/register/options", new { principalId = "bob" })).Content.ReadFromJsonAsync<JsonElement>();
        var challengeId = options.GetProperty("challengeId").GetString();
        var garbage = new { challengeId, response = new { id = "AAAA", type = "public-key", response = new { } } };

        var stolen = await otherApi.PostAsJsonAsync("/v1/webauthn/register/verify", garbage);
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);

        // Still there for its owner (then consumed by this failed attempt, and refused a second time).
        var first = await ownerApi.PostAsJsonAsync("/v1/webauthn/register/verify", garbage);
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Contains("could not be registered", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);
        var second = await ownerApi.PostAsJsonAsync("/v1/webauthn/register/verify", garbage);
        Assert.Contains("unknown, expired, already used", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(await owner.AuditAsync("passkey.registration_refused"), e => e.GetProperty("principalId").GetString() == "bob");
    }

    [Fact]
    public async Task listing_needs_a_principal_and_an_unknown_credential_cannot_be_deleted()
    {
        var scenario = await ConsentScenario.CreateAsync(factory);
        using var api = scenario.DeveloperServer();

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/v1/webauthn/credentials")).StatusCode);
        var list = await api.GetFromJsonAsync<JsonElement>("/v1/webauthn/credentials?principalId=bob");
        Assert.Equal(0, list.GetProperty("credentials").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync("/v1/webauthn/credentials/cred_01NOPE")).StatusCode);
    }

    [Fact]
    public async Task every_route_needs_an_api_key()
    {
        using var anonymous = factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/v1/webauthn/register/options", new { principalId = "bob" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/webauthn/credentials?principalId=bob")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/v1/webauthn/credentials/cred_x")).StatusCode);
    }
}
