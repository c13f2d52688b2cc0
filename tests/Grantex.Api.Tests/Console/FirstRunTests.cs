using System.Net;
using Grantex.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Grantex.Api.Tests.Console;

/// <summary>
/// A fresh database has no console account: every console URL leads to the first-administrator page, which only the
/// server itself may use (a test server's client has no loopback address, like a remote browser), and the API and
/// consent flows are unaffected.
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
    public async Task the_first_administrator_page_refuses_a_browser_that_is_not_on_the_server()
    {
        var page = await _client.GetAsync("/account/setup");
        var options = await _client.PostAsync("/account/setup/passkey-options", new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "mallory" }));

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("can only be created from the server itself", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("data-gx-passkey", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, options.StatusCode);
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
