using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Grantex.Browser.Tests.Console;

/// <summary>Browser helpers for the console: the circuit, a virtual passkey authenticator, sign-in, screenshots.</summary>
internal static class ConsoleBrowser
{
    public static readonly PageWaitForSelectorOptions Visible = new() { State = WaitForSelectorState.Visible };

    /// <summary>Waits until the interactive circuit is up (the layout renders a marker only when interactive).</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.WaitForSelectorAsync("[data-interactive]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

    /// <summary>A CTAP2 platform authenticator that holds resident keys and verifies the user without a prompt.</summary>
    public static Task<ICDPSession> AddVirtualAuthenticatorAsync(IBrowserContext context, IPage page) =>
        Consent.VirtualAuthenticator.AddAsync(context, page);

    public static async Task SignInWithPasswordAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password", new PageGetByLabelOptions { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in with password" }).ClickAsync();
    }

    /// <summary>
    /// Waits until the browser has left the account pages, i.e. the sign-in went through. It polls the address rather
    /// than waiting for the landing page's load event: after the sign-in POST and its redirect, Playwright's
    /// <c>WaitForURLAsync</c> found the address already changed and then waited 90 s for a "load" it never reported,
    /// once, on a loaded CI machine.
    /// </summary>
    public static Task LeftAccountPagesAsync(IPage page) =>
        Assertions.Expect(page).Not.ToHaveURLAsync(AccountPages);

    private static readonly Regex AccountPages = new("/account/");

    /// <summary>Types the server's one-time set-up code, read from the file it writes beside its database.</summary>
    public static async Task FillSetupCodeAsync(IPage page, string dataDirectory) =>
        await page.GetByLabel("Set-up code").FillAsync((await File.ReadAllTextAsync(Path.Combine(dataDirectory, "setup-code"))).Trim());

    public static Task ShotAsync(IPage page, string name) => BrowserAppFixture.ScreenshotAsync(page, "console-" + name);

    /// <summary>Navigates inside the console and waits for the circuit of the new page.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitForCircuitAsync(page);
    }
}
