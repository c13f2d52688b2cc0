using Microsoft.Playwright;

namespace Grantex.Browser.Tests.Consent;

/// <summary>The consent page in headless Chromium against the real app on Kestrel, without presence proof.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsentFlowTests(BrowserAppFixture app)
{
    [Fact]
    public async Task a_person_allows_and_lands_on_the_redirect_uri_with_code_and_state_and_the_token_carries_no_presence()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        var (_, consentUrl) = await developer.AuthorizeAsync(audience: "https://api.example.test");
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();

        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);

        Assert.Equal(200, consent.Status);
        Assert.Equal("Trip Planner wants access to your account", (await consent.Heading.InnerTextAsync()).Trim());
        Assert.Contains("Acme Corp", await page.Locator(".gx-developer-name").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Books trains and hotels", await page.Locator(".gx-agent-description").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Send email as you", await consent.Scope("email:send").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("High risk", await consent.Scope("email:send").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("up to 500 per payment", await consent.Scope("payments:initiate:max_500").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("The app did not say what this allows", await consent.Scope("crm:contacts:export").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("High risk", await consent.Scope("calendar:read").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("1 day", await page.Locator(".gx-lifetime").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("UTC", await page.Locator(".gx-lifetime").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("https://api.example.test", await page.Locator(".gx-audience").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{LoopbackSite.Shared.Port}", await page.Locator(".gx-redirect-host").InnerTextAsync());
        Assert.True(await consent.Deny.IsVisibleAsync());
        await BrowserAppFixture.ScreenshotAsync(page, "consent-1-pending");

        var callback = await consent.AllowAsync();

        Assert.Equal("st-42", callback.State);
        Assert.False(string.IsNullOrEmpty(callback.Code));
        var grant = await developer.VerifyOfflineAsync(await developer.ExchangeAsync(callback.Code!));
        Assert.Null(grant.Presence);
        Assert.Empty(grant.AuthenticationMethods);
        Assert.Equal("https://api.example.test", grant.Audience);
    }

    [Fact]
    public async Task deny_sends_the_person_back_with_access_denied_and_the_state()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        var (id, consentUrl) = await developer.AuthorizeAsync();
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);

        var callback = await consent.DenyAsync();

        Assert.Equal("access_denied", callback.Error);
        Assert.Equal("st-42", callback.State);
        Assert.Null(callback.Code);

        var again = await ConsentPageObject.OpenAsync(page, consentUrl);
        Assert.Equal(410, again.Status);
        Assert.Equal("This request was already answered", await again.Heading.InnerTextAsync());
        Assert.Equal(0, await again.Allow.CountAsync());
        await BrowserAppFixture.ScreenshotAsync(page, "consent-5-already-decided");
        Assert.Equal("GONE", (await developer.StatusAsync(id)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task without_a_redirect_uri_allow_ends_on_a_page_that_says_the_window_can_be_closed()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        var (_, consentUrl) = await developer.AuthorizeAsync(withRedirect: false, scopes: ["calendar:read"]);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);
        Assert.Contains("you can close this window", await page.Locator(".gx-redirect").InnerTextAsync(), StringComparison.Ordinal);

        var done = await consent.AllowExpectingPageAsync();

        Assert.Equal(200, done.Status);
        Assert.Equal("Access allowed", await done.Heading.InnerTextAsync());
        Assert.Contains("You can close this window.", await page.Locator(".gx-consent-outcome").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserAppFixture.ScreenshotAsync(page, "consent-3-allowed-close-window");
    }

    [Fact]
    public async Task a_person_can_allow_with_the_keyboard_alone_and_focus_does_not_start_on_allow()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        var (_, consentUrl) = await developer.AuthorizeAsync();
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);
        Assert.NotEqual("consent-allow", await page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''"));

        var order = new List<string>();
        for (var i = 0; i < 40 && !order.Contains("consent-allow"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''"));
        }

        Assert.Contains("consent-allow", order);
        Assert.True(order.IndexOf("consent-deny") < order.IndexOf("consent-allow"), "Deny comes before Allow in the tab order.");
        await BrowserAppFixture.ScreenshotAsync(page, "consent-2-keyboard-focus-on-allow");
        await page.Keyboard.PressAsync("Enter");
        var callback = await consent.LandedOnAppAsync();

        Assert.False(string.IsNullOrEmpty(callback.Code));
    }

    [Fact]
    public async Task the_page_refuses_to_be_framed_by_another_site()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        var (id, consentUrl) = await developer.AuthorizeAsync();
        await using var context = await app.NewContextAsync();
        var attacker = LoopbackSite.Shared.Page("/prize", $"<!doctype html><h1>Win a prize</h1><iframe id=\"victim\" src=\"{consentUrl}\" width=\"800\" height=\"600\"></iframe>");
        var page = await context.NewPageAsync();
        var consentResponse = page.WaitForResponseAsync(r => r.Url == consentUrl);

        await page.GotoAsync(attacker);
        var response = await consentResponse;
        var frame = page.Frames.Single(f => f != page.MainFrame);
        await frame.WaitForLoadStateAsync(LoadState.Load); // whatever Chromium put in the frame (the page or its refusal) has loaded

        var headers = await response.AllHeadersAsync();
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal(0, await frame.Locator("#consent-allow").CountAsync());
        Assert.Equal(0, await frame.GetByText("wants access to your account").CountAsync());
        Assert.Equal("pending", (await developer.StatusAsync(id)).GetProperty("status").GetString());
        await BrowserAppFixture.ScreenshotAsync(page, "consent-9-framing-refused");
    }

    [Fact]
    public async Task on_a_phone_sized_screen_nothing_overflows_and_the_decision_is_on_screen_without_scrolling()
    {
        using var developer = await LiveDeveloper.CreateAsync(app, agentName: "Household Finance Assistant",
            description: "Pays recurring bills, moves money between your accounts and keeps a monthly budget.");
        var (_, consentUrl) = await developer.AuthorizeAsync(scopes: ["payments:initiate:max_250", "payments:read", "email:read", "files:write", "profile:read"]);
        await using var context = await app.NewContextAsync(new ViewportSize { Width = 390, Height = 844 });
        var page = await context.NewPageAsync();
        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);

        var overflowing = await page.EvaluateAsync<string>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)"
            + ".map(e => e.tagName + '.' + e.className + ' right=' + Math.round(e.getBoundingClientRect().right)).slice(0, 8).join('; ')");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "Overflowing: " + overflowing);
        // The request is longer than the screen, yet both buttons are in view from the start (a sticky action bar).
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollHeight > window.innerHeight + 100"), "The request fills more than a screen.");
        var deny = await consent.Deny.BoundingBoxAsync();
        var allow = await consent.Allow.BoundingBoxAsync();
        Assert.True(allow!.Y + allow.Height <= 844 && allow.Y >= 0, $"Allow is on screen (y={allow.Y}).");
        Assert.True(deny!.Y + deny.Height <= 844 && deny.Y >= 0, $"Deny is on screen (y={deny.Y}).");
        Assert.Equal(deny.Y, allow.Y, 1.0);
        Assert.True(deny.X < allow.X, "Deny comes first.");
        Assert.Equal(deny.Width, allow.Width, 1.0);
        Assert.Equal(deny.Height, allow.Height, 1.0);
        await BrowserAppFixture.ScreenshotAsync(page, "consent-4-phone");

        // Scrolled to the end, the buttons sit in their place after the request, still on screen.
        await page.EvaluateAsync("() => window.scrollTo(0, document.documentElement.scrollHeight)");
        allow = await consent.Allow.BoundingBoxAsync();
        Assert.True(allow!.Y + allow.Height <= 844, "Allow is on screen at the end of the page.");
        await BrowserAppFixture.ScreenshotAsync(page, "consent-4-phone-end");
    }

    [Fact]
    public async Task allow_and_deny_are_the_same_size_side_by_side_on_a_wide_screen()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        var (_, consentUrl) = await developer.AuthorizeAsync();
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);

        var deny = await consent.Deny.BoundingBoxAsync();
        var allow = await consent.Allow.BoundingBoxAsync();

        Assert.Equal(deny!.Y, allow!.Y, 1.0);
        Assert.True(deny.X < allow.X, "Deny comes first.");
        Assert.Equal(deny.Width, allow.Width, 1.0);
        Assert.Equal(deny.Height, allow.Height, 1.0);
    }
}
