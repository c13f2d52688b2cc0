using System.Net;
using Grantex.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Grantex.Api.Tests.Console;

/// <summary>
/// A fresh database has no console account: every console URL leads to the first-administrator page (which asks for
/// the server's set-up code, see <see cref="SetupCodeTests"/>), and the API and consent flows are unaffected.
/// </summary>
public sealed class FirstRunTests : IClassFixture<GrantexApp>
{
    private readonly HttpClient _client;

    public FirstRunTests(GrantexApp factory)
    {
        _client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/grants")]
    [InlineData("/users")]
    [InlineData("/account/login")]
    [InlineData("/account/security")]
    public async Task every_console_page_leads_to_the_first_administrator_page(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/setup", ConsoleForms.PathOf(response.Headers.Location));
    }

    [Fact]
    public async Task the_first_administrator_page_asks_for_the_set_up_code()
    {
        var page = await _client.GetAsync("/account/setup");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Set-up code", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_api_is_not_behind_the_first_run_gate()
    {
        var health = await _client.GetAsync("/health");
        var agents = await _client.GetAsync("/v1/agents");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, agents.StatusCode);
    }
}
