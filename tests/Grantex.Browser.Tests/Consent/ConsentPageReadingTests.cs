using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Grantex.Browser.Tests.Consent;

/// <summary>
/// What the person reads on the consent page: times in their own time zone, a countdown that moves, identifiers kept
/// under Details, no script errors (the page's strict CSP included) and no serious accessibility problem.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsentPageReadingTests(BrowserAppFixture app)
{
    [Fact]
    public async Task times_are_shown_in_the_browsers_time_zone_and_the_countdown_moves()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        var (_, consentUrl) = await developer.AuthorizeAsync();
        await using var context = await app.NewContextAsync(timeZone: "Asia/Tokyo");
        var page = await context.NewPageAsync();
        var errors = CollectErrors(page);

        await ConsentPageObject.OpenAsync(page, consentUrl);

        var lifetime = await page.Locator(".gx-lifetime time").InnerTextAsync();
        Assert.Contains("GMT+9", lifetime, StringComparison.Ordinal);
        Assert.DoesNotContain("UTC", lifetime, StringComparison.Ordinal);
        Assert.Contains("GMT+9", await page.Locator("#consent-expiry time").InnerTextAsync(), StringComparison.Ordinal);

        var first = await page.Locator("#consent-countdown").InnerTextAsync();
        Assert.Matches("^1[0-9] minutes( and [0-9]+ seconds?)?$", first);
        await page.WaitForFunctionAsync("t => document.getElementById('consent-countdown').textContent !== t", first);

        Assert.Empty(errors);
    }

    [Fact]
    public async Task without_script_times_stay_in_utc()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        var (_, consentUrl) = await developer.AuthorizeAsync();
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, TimezoneId = "Asia/Tokyo" });
        var page = await context.NewPageAsync();

        await page.GotoAsync(consentUrl);

        Assert.EndsWith("UTC", (await page.Locator(".gx-lifetime time").InnerTextAsync()).Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_agents_did_is_under_details_and_the_page_passes_axe_without_console_errors()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        var (id, consentUrl) = await developer.AuthorizeAsync(scopes: ["payments:write", "crm:contacts:export", "calendar:read"]);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = CollectErrors(page);
        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);

        Assert.Contains("Create and change payments on your behalf", await consent.Scope("payments:write").InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(await page.Locator(".gx-agent-did").IsVisibleAsync(), "The DID is tucked away.");
        await page.GetByText("Details", new() { Exact = true }).ClickAsync();
        Assert.StartsWith("did:grantex:", await page.Locator(".gx-agent-did").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(id, await page.Locator(".gx-request-id").InnerTextAsync());

        // Deny is outlined (not a red alarm), Allow filled: different fill, same size.
        Assert.Contains("mud-button-outlined", await consent.Deny.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        Assert.Contains("mud-button-filled", await consent.Allow.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);

        await BrowserAppFixture.TransitionsSettledAsync(page);
        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ×{v.Nodes.Length}").ToList();
        Assert.Empty(serious);
        await BrowserAppFixture.ScreenshotAsync(page, "consent-6-details-open");

        // The same page when the system is set to dark: the dark palette, and still no contrast problem, on a laptop and a phone.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        Assert.Equal("rgb(34, 35, 44)", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.gx-consent-actions')).backgroundColor"));
        foreach (var (width, height, name) in new[] { (1280, 800, "laptop"), (390, 844, "phone") })
        {
            await page.SetViewportSizeAsync(width, height);
            await BrowserAppFixture.TransitionsSettledAsync(page);
            var dark = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
            Assert.Empty(dark.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"dark {name} {v.Id}: {v.Help} ×{v.Nodes.Length} {v.Nodes[0].Html}"));
            await BrowserAppFixture.ScreenshotAsync(page, $"consent-6-details-open-dark-{name}");
        }

        Assert.Empty(errors);
    }

    // Script errors and console errors (a CSP violation is reported as one).
    private static List<string> CollectErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return errors;
    }
}
