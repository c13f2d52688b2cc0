using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Grantex.Core.Developers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Grantex.Browser.Tests.Console.ConsoleBrowser;

namespace Grantex.Browser.Tests.Console;

/// <summary>
/// Every console page, the sign-in pages and the try-it callback page, with data, at a laptop (1,280×800) and a phone
/// (390×844), in the light and the dark theme (the system setting): the page never scrolls sideways, and axe-core
/// (WCAG 2.1 AA rules, colour contrast included) finds no serious or critical violation. Screenshots of each are saved.
/// </summary>
[Collection(PageTourCollection.Name)]
public sealed class PageTourTests(PageTourAppFixture app)
{
    private static readonly ViewportSize Laptop = new() { Width = 1280, Height = 800 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task every_console_page_fits_a_laptop_and_a_phone_and_passes_axe()
    {
        var created = await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Travel", DeveloperMode.Sandbox);
        var developerId = created.Value!.Developer.Id;
        string grantId, agentId, childGrantId;
        using (var api = new GrantexApi(app.BaseUrl, created.Value.ApiKey))
        {
            agentId = await api.CreateAgentAsync("Inbox assistant", "email:read", "calendar:read");
            var helper = await api.CreateAgentAsync("Calendar helper", "calendar:read");
            (grantId, var token) = await api.GrantAsync(agentId, "alice@example.com", "email:read", "calendar:read");
            (childGrantId, _) = await api.DelegateAsync(token, helper, "calendar:read");
            var (other, _) = await api.GrantAsync(helper, "bob@example.com", "calendar:read");
            await api.RevokeAsync(other);
        }

        await using var context = await app.NewContextAsync(Laptop);
        var page = await context.NewPageAsync();
        await AddVirtualAuthenticatorAsync(context, page);
        var problems = new StringBuilder();

        // The first-administrator set-up page (a static form), before anyone exists.
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/setup"));
        await CheckEverySizeAndSchemeAsync(page, "account-setup", problems);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
        await page.SetViewportSizeAsync(Laptop.Width, Laptop.Height);
        await FillSetupCodeAsync(page, app.DataDirectory);
        await page.GetByLabel("User name").FillAsync("ada");
        await page.GetByLabel("Your name (optional)").FillAsync("Ada Admin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create with a passkey" }).ClickAsync();
        await LeftAccountPagesAsync(page);

        string[] paths =
        [
            "/", "/grants", $"/grants/{grantId}", $"/grants/{childGrantId}/tree", "/agents", $"/agents/{agentId}", "/policies",
            $"/developers?developer={developerId}", $"/principals?dev={developerId}&principal=alice%40example.com", $"/webhooks?dev={developerId}",
            "/anomalies", "/audit", $"/compliance?dev={developerId}", "/keys", "/users", "/account/security",
            "/callback?code=gxc_example&state=xyz",
        ];
        foreach (var (scheme, schemeName) in new[] { (ColorScheme.Light, "light"), (ColorScheme.Dark, "dark") })
        {
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            foreach (var (size, name) in new[] { (Laptop, "laptop"), (Phone, "phone") })
            {
                await page.SetViewportSizeAsync(size.Width, size.Height);
                foreach (var path in paths)
                {
                    if (path.StartsWith("/account/", StringComparison.Ordinal) || path.StartsWith("/callback", StringComparison.Ordinal))
                    {
                        await page.GotoAsync(path); // static pages: no circuit
                    }
                    else
                    {
                        await OpenAsync(page, path);
                    }

                    if (path == "/grants")
                    {
                        // The list itself, not its loading line: identity, status, times and the actions all in view.
                        await page.Locator(".gx-grant-row").First.WaitForAsync();
                        if (size == Laptop)
                        {
                            await ShotAsync(page, $"tour-{schemeName}-grants-list");
                            foreach (var header in new[] { "Grant", "Status", "Issued", "Expires" })
                            {
                                await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = header, Exact = true })).ToBeInViewportAsync(new() { Ratio = 1 });
                            }

                            await Assertions.Expect(page.Locator(".gx-grant-row .gx-actions").First).ToBeInViewportAsync(new() { Ratio = 1 });
                        }
                    }

                    await CheckAsync(page, $"{schemeName}-{name}", Slug(path), problems);
                }
            }
        }

        // The sign-in page (password and passkey sign-in), signed out.
        await using var signedOut = await app.NewContextAsync(Laptop);
        var login = await signedOut.NewPageAsync();
        await login.GotoAsync("/account/login");
        await CheckEverySizeAndSchemeAsync(login, "account-login", problems);

        Assert.True(problems.Length == 0, problems.ToString());
    }

    /// <summary>The current page (a static one: reloaded after each change) at both sizes, light and dark.</summary>
    private static async Task CheckEverySizeAndSchemeAsync(IPage page, string slug, StringBuilder problems)
    {
        foreach (var (scheme, schemeName) in new[] { (ColorScheme.Light, "light"), (ColorScheme.Dark, "dark") })
        {
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            foreach (var (size, name) in new[] { (Laptop, "laptop"), (Phone, "phone") })
            {
                await page.SetViewportSizeAsync(size.Width, size.Height);
                await page.ReloadAsync();
                await CheckAsync(page, $"{schemeName}-{name}", slug, problems);
            }
        }
    }

    private static async Task CheckAsync(IPage page, string variant, string slug, StringBuilder problems)
    {
        await page.Locator("h1").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await BrowserAppFixture.TransitionsSettledAsync(page);
        var shot = $"tour-{variant}-{slug}";
        await ShotAsync(page, shot);

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        if (overflow > 1)
        {
            problems.AppendLine($"{variant} {page.Url}: the page scrolls sideways by {overflow}px ({shot}.png)");
        }

        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        foreach (var violation in axe.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            var where = string.Join(" | ", violation.Nodes.Take(3).Select(n => $"{n.Target} {n.Html[..Math.Min(160, n.Html.Length)]}"));
            problems.AppendLine($"{variant} {page.Url}: axe {violation.Id} ({violation.Impact}) ×{violation.Nodes.Length}: {violation.Help} — {where}");
        }
    }

    private static string Slug(string path) =>
        path == "/" ? "overview" : new string(path.Trim('/').Split('?')[0].Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}

[CollectionDefinition(Name)]
public sealed class PageTourCollection : ICollectionFixture<PageTourAppFixture>
{
    public const string Name = "console-page-tour";
}

/// <summary>An app and database of its own: the tour creates the first administrator.</summary>
public sealed class PageTourAppFixture : BrowserAppFixture;
