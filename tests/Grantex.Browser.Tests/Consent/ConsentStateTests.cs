namespace Grantex.Browser.Tests.Consent;

/// <summary>Expired, unknown and incomplete requests, and tricky names: each gets its own clear page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsentStateTests(BrowserAppFixture app)
{
    [Fact]
    public async Task an_expired_request_has_its_own_page_and_cannot_be_allowed()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        var (id, consentUrl) = await developer.AuthorizeAsync();
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var open = await ConsentPageObject.OpenAsync(page, consentUrl);
        Assert.Equal(200, open.Status);

        await developer.ExecuteSqlAsync("UPDATE auth_requests SET ExpiresAt = $past WHERE Id = $id",
            ("$past", DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds()), ("$id", id));
        var afterExpiry = await open.AllowExpectingPageAsync();

        Assert.Equal(410, afterExpiry.Status);
        Assert.Equal("This request has expired", await afterExpiry.Heading.InnerTextAsync());
        await BrowserAppFixture.ScreenshotAsync(page, "consent-6-expired");
        var reopened = await ConsentPageObject.OpenAsync(page, consentUrl);
        Assert.Equal(410, reopened.Status);
    }

    [Theory]
    [InlineData("/consent?req=areq_01UNKNOWN0000000000000000", 404, "We can't find this request", "consent-7-unknown")]
    [InlineData("/consent", 400, "This link is incomplete", "consent-8-missing")]
    public async Task unknown_and_incomplete_links_get_their_own_pages(string path, int status, string heading, string screenshot)
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();

        var consent = await ConsentPageObject.OpenAsync(page, app.BaseUrl + path);

        Assert.Equal(status, consent.Status);
        Assert.Equal(heading, await consent.Heading.InnerTextAsync());
        Assert.Equal(0, await consent.Allow.CountAsync());
        await BrowserAppFixture.ScreenshotAsync(page, screenshot);
    }

    [Fact]
    public async Task markup_and_look_alike_characters_in_names_show_as_flagged_text_and_run_nothing()
    {
        using var developer = await LiveDeveloper.CreateAsync(app, name: "P\u0430yPal\u200B Inc <img src=x onerror=\"document.title='pwned'\">",
            agentName: "<script>document.title='pwned'</script>Invoice \u202Efdp.exe",
            description: "<b>Trusted</b> <a href=\"https://evil.example.test\">click</a>");
        var (_, consentUrl) = await developer.AuthorizeAsync(scopes: ["email:read", "<svg onload=alert(1)>"]);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);

        Assert.Equal(200, consent.Status);
        Assert.StartsWith("Allow <script>", await page.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal(0, dialogs);
        Assert.Equal(0, await page.Locator(".gx-consent-card img, .gx-consent-card b, .gx-consent-card a, .gx-consent-card svg[onload]").CountAsync());
        Assert.Contains("<script>", await page.Locator(".gx-agent-name").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", await page.Locator(".gx-agent-name").InnerTextAsync(), StringComparison.Ordinal);
        var warnings = string.Join("\n", await page.Locator(".gx-text-warning").AllInnerTextsAsync());
        Assert.Contains("reverse the direction", warnings, StringComparison.Ordinal);
        Assert.Contains("\u201CPayPal Inc", warnings, StringComparison.Ordinal);
        await BrowserAppFixture.ScreenshotAsync(page, "consent-10-tricky-names");
    }
}
