using System.Net;
using System.Net.Http.Json;

namespace Grantex.Api.Tests.Sso;

/// <summary>"Test connection" against a real (in-test) provider: a usable discovery document, then a wrong issuer URL.</summary>
public sealed class SsoDiscoveryTests(SsoApp fixture) : IClassFixture<SsoApp>
{
    [Fact]
    public async Task a_working_provider_passes_and_a_wrong_issuer_url_is_explained()
    {
        await using var sso = await SsoScenario.CreateAsync(fixture.App, requireSso: false);
        using var api = sso.Consent.DeveloperServer();

        var ok = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/sso/connections/{sso.ConnectionId}/test", null), HttpStatusCode.OK);
        Assert.True((bool)ok["success"]!);
        Assert.Equal(sso.Idp.Issuer + "/token", (string?)ok["tokenEndpoint"]);

        var wrong = (string)(await ApiClient.ExpectAsync(await api.PostAsJsonAsync("/v1/sso/connections", new
        {
            name = "Typo", issuerUrl = sso.Idp.Issuer + "/tenant", clientId = "c", clientSecret = "s",
        }), HttpStatusCode.Created))["id"]!;
        var failed = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/sso/connections/{wrong}/test", null), HttpStatusCode.UnprocessableEntity);
        Assert.False((bool)failed["success"]!);
        Assert.Contains("HTTP 404", (string?)failed["message"], StringComparison.Ordinal);
    }
}
