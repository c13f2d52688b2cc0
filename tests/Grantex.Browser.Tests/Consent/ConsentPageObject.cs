using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Grantex.Browser.Tests.Consent;

/// <summary>The consent page (Components/Consent/ConsentPage.razor), located by role and label.</summary>
internal sealed class ConsentPageObject(IPage page, int status)
{
    public IPage Page { get; } = page;

    /// <summary>The HTTP status of the page's document.</summary>
    public int Status { get; } = status;

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public ILocator Allow => Page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true });

    public ILocator Deny => Page.GetByRole(AriaRole.Button, new() { Name = "Deny", Exact = true });

    public ILocator Problem => Page.Locator(".gx-consent-problem");

    public ILocator Scope(string scope) => Page.Locator($"li[data-scope='{scope}']");

    public static async Task<ConsentPageObject> OpenAsync(IPage page, string url)
    {
        var response = await page.GotoAsync(url);
        return new ConsentPageObject(page, response!.Status);
    }

    /// <summary>Clicks Allow and waits to land on the app.</summary>
    public async Task<AppCallback> AllowAsync()
    {
        await Allow.ClickAsync();
        return await LandedOnAppAsync();
    }

    public async Task<AppCallback> DenyAsync()
    {
        await Deny.ClickAsync();
        return await LandedOnAppAsync();
    }

    /// <summary>Clicks Allow where the answer is a page of ours (no redirect URI, or a refusal).</summary>
    public async Task<ConsentPageObject> AllowExpectingPageAsync()
    {
        var response = await Page.RunAndWaitForResponseAsync(() => Allow.ClickAsync(),
            r => r.Request.Method == "POST" && r.Request.ResourceType == "document" && r.Url.Contains("/consent?req=", StringComparison.Ordinal));
        await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return new ConsentPageObject(Page, response.Status);
    }

    /// <summary>
    /// Waits until the browser is at the app's address. It polls the address instead of <c>WaitForURLAsync</c>, which
    /// after the decision POST's redirect also waits for a "load" event that a loaded CI machine once never reported
    /// (90 s, with "NetworkIdle" already fired).
    /// </summary>
    public async Task<AppCallback> LandedOnAppAsync()
    {
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("^" + Regex.Escape(AppCallback.Origin) + "/"));
        return new AppCallback(new Uri(Page.Url));
    }

    /// <summary>Waits (polling the address, as <see cref="LandedOnAppAsync"/>) until the browser is back on a consent page of <paramref name="baseUrl"/>.</summary>
    public static Task BackOnConsentAsync(IPage page, string baseUrl) =>
        Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(baseUrl + "/consent?req=")), new() { Timeout = 30_000 });
}
