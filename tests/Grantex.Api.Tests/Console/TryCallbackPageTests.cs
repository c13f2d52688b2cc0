using System.Net;
using Grantex.Testing;

namespace Grantex.Api.Tests.Console;

/// <summary>The built-in callback page the README's live walkthrough redirects to: it shows what it received, encoded.</summary>
public sealed class TryCallbackPageTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task the_callback_page_shows_the_code_and_state_it_received_html_encoded()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/callback?code=abc123&state=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Code received", html);
        Assert.Contains("abc123", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("/v1/token", html);
    }

    [Fact]
    public async Task a_denial_shows_the_error_and_an_empty_visit_explains_the_page()
    {
        using var client = factory.CreateClient();
        var denied = await (await client.GetAsync("/callback?error=access_denied&state=xyz")).Content.ReadAsStringAsync();
        Assert.Contains("was not approved", denied);
        Assert.Contains("access_denied", denied);
        Assert.DoesNotContain("Code received", denied);
        var empty = await (await client.GetAsync("/callback")).Content.ReadAsStringAsync();
        Assert.Contains("Nothing received yet", empty);
    }
}
