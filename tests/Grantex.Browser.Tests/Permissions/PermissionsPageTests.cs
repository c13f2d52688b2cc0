using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Browser.Tests.Console;
using Grantex.Core.Developers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Grantex.Browser.Tests.Console.ConsoleBrowser;

namespace Grantex.Browser.Tests.Permissions;

/// <summary>
/// The "My grants" page as a person meets it: the session link from the app opens it (the token leaves the address
/// bar at once), the person revokes one agent, then all, sees the counts, and an administrator's open console Grants
/// page follows. Screenshots at 1280x800 and 390x844.
/// </summary>
[Collection(PermissionsBrowserCollection.Name)]
public sealed class PermissionsPageTests(PermissionsAppFixture app)
{
    [Fact]
    public async Task a_person_opens_the_link_revokes_one_agent_then_all_and_an_open_console_follows()
    {
        var created = await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Travel", DeveloperMode.Sandbox);
        var developerId = created.Value!.Developer.Id;
        var apiKey = created.Value.ApiKey;
        using var api = new GrantexApi(app.BaseUrl, apiKey);
        var planner = await api.CreateAgentAsync("Trip planner", "calendar:read", "email:send");
        var booker = await api.CreateAgentAsync("Hotel booker", "calendar:read");
        var mailer = await api.CreateAgentAsync("Newsletter bot", "email:send");
        var (plannerGrant, plannerToken) = await api.GrantAsync(planner, "alice@example.com", "calendar:read", "email:send");
        var (bookerGrant, _) = await api.DelegateAsync(plannerToken, booker, "calendar:read");
        var (mailerGrant, mailerToken) = await api.GrantAsync(mailer, "alice@example.com", "email:send");

        // An administrator has the developer's grants open in the console.
        await using var adminContext = await app.NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await AddVirtualAuthenticatorAsync(adminContext, admin);
        await admin.GotoAsync("/grants");
        await FillSetupCodeAsync(admin, app.DataDirectory);
        await admin.GetByLabel("User name").FillAsync("ada");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create with a passkey" }).ClickAsync();
        await LeftAccountPagesAsync(admin);
        await OpenAsync(admin, $"/grants?dev={developerId}&principal=alice%40example.com");
        await Assertions.Expect(admin.Locator("[data-status=active]")).ToHaveCountAsync(3);

        // The app hands the person a session link; the person opens it (a phone-sized and a desktop window).
        var link = await SessionLinkAsync(apiKey, "alice@example.com");
        await using var person = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "en-US", TimezoneId = "Europe/Paris", BaseURL = app.BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        person.SetDefaultTimeout((float)BrowserAppFixture.Timeout.TotalMilliseconds);
        var page = await person.NewPageAsync();
        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Agents that can act for you at Acme Travel" })).ToBeVisibleAsync();
        Assert.Equal(app.BaseUrl + "/permissions", page.Url);
        Assert.DoesNotContain("session=", page.Url, StringComparison.Ordinal);
        var cookie = Assert.Single(await person.CookiesAsync(), c => c.Name == "gx_principal_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/permissions", cookie.Path);
        await Assertions.Expect(page.Locator("#permissions-count")).ToHaveTextAsync("3 agents can act for you (3 active grants).");
        var plannerCard = page.Locator($"li.gx-grant-card[data-grant={plannerGrant}]");
        await Assertions.Expect(plannerCard).ToContainTextAsync("Trip planner");
        await Assertions.Expect(plannerCard).ToContainTextAsync("Hotel booker");
        await Assertions.Expect(plannerCard).ToContainTextAsync("Grant created");
        // Times in the person's zone (Paris), the UTC text kept as the tooltip.
        await Assertions.Expect(plannerCard.Locator("time").First).ToContainTextAsync("GMT+1");
        await BrowserAppFixture.ScreenshotAsync(page, "permissions-1-list-1280");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserAppFixture.ScreenshotAsync(page, "permissions-2-list-390");
        await page.SetViewportSizeAsync(1280, 800);

        // Revoke one: the planner and what it delegated.
        await plannerCard.GetByRole(AriaRole.Button, new() { Name = "Revoke Trip planner's access" }).ClickAsync();
        await Assertions.Expect(page.Locator("#permissions-notice")).ToHaveTextAsync("Revoked 2 grants.");
        await Assertions.Expect(page.Locator("li.gx-grant-card")).ToHaveCountAsync(1);
        Assert.False(await api.VerifyAsync(plannerToken));
        Assert.True(await api.VerifyAsync(mailerToken));
        await Assertions.Expect(admin.Locator("[data-status=revoked]")).ToHaveCountAsync(2);
        await Assertions.Expect(admin.Locator("[data-status=active]")).ToHaveCountAsync(1);
        await BrowserAppFixture.ScreenshotAsync(page, "permissions-3-revoked-one-1280");
        await ShotAsync(admin, "permissions-grants-after-one");

        // Revoke all.
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke all (1 grant)" }).ClickAsync();
        await Assertions.Expect(page.Locator("#permissions-notice")).ToContainTextAsync("Revoked 1 grant. No agent can act for you here any more.");
        await Assertions.Expect(page.Locator("#permissions-empty")).ToBeVisibleAsync();
        Assert.False(await api.VerifyAsync(mailerToken));
        await Assertions.Expect(admin.Locator("[data-status=revoked]")).ToHaveCountAsync(3);
        await page.SetViewportSizeAsync(390, 844);
        await BrowserAppFixture.ScreenshotAsync(page, "permissions-4-revoked-all-390");
        _ = (bookerGrant, mailerGrant);

        // The console's Principals screen shows the same principal with nothing left active.
        await OpenAsync(admin, $"/principals?dev={developerId}&principal=alice%40example.com");
        await Assertions.Expect(admin.GetByTestId("principal-grants")).ToContainTextAsync("0 active of 3");
        await ShotAsync(admin, "permissions-principals");

        // The administrator issues alice a passkey enrolment link: shown once, in a dialog, with a copy button.
        await admin.GetByTestId("principal-issue-link").ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("/enrol#t=");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Copy ") })).ToBeVisibleAsync();
        await ShotAsync(admin, "principals-enrolment-link");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "I have copied the link" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("principal-link")).ToContainTextAsync("open until");

        // Signing out leaves nothing usable; the bare page explains how to come back.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out of this page" }).ClickAsync();
        await Assertions.Expect(page.Locator("#permissions-signed-out")).ToContainTextAsync("You are signed out");
        Assert.DoesNotContain(await person.CookiesAsync(), c => c.Name == "gx_principal_session");
        await BrowserAppFixture.ScreenshotAsync(page, "permissions-5-signed-out-390");
    }

    [Fact]
    public async Task a_person_with_many_grants_pages_through_them()
    {
        var created = await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Busy Travel", DeveloperMode.Sandbox);
        using var api = new GrantexApi(app.BaseUrl, created.Value!.ApiKey);
        var agent = await api.CreateAgentAsync("Fare watcher", "calendar:read");
        for (var i = 0; i < 22; i++)
        {
            await api.GrantAsync(agent, "carol@example.com", "calendar:read");
        }

        await using var person = await app.NewContextAsync(new ViewportSize { Width = 1280, Height = 800 });
        var page = await person.NewPageAsync();
        await page.GotoAsync(await SessionLinkAsync(created.Value.ApiKey, "carol@example.com"));
        await Assertions.Expect(page.Locator("#permissions-count")).ToHaveTextAsync("1 agent can act for you (22 active grants).");
        await Assertions.Expect(page.Locator("li.gx-grant-card")).ToHaveCountAsync(20);
        await Assertions.Expect(page.Locator("#permissions-pages")).ToContainTextAsync("Showing 1–20 of 22, newest first. Page 1 of 2.");
        await Assertions.Expect(page.Locator("#permissions-previous")).ToHaveCountAsync(0);

        await page.Locator("#permissions-next").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/permissions?page=2");
        await Assertions.Expect(page.Locator("li.gx-grant-card")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#permissions-pages")).ToContainTextAsync("Showing 21–22 of 22, newest first. Page 2 of 2.");
        await Assertions.Expect(page.Locator("#permissions-next")).ToHaveCountAsync(0);
        await BrowserAppFixture.ScreenshotAsync(page, "permissions-6-second-page-1280");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserAppFixture.ScreenshotAsync(page, "permissions-7-second-page-390");

        // Revoking on page 2 comes back to page 2 (now the last card), and "Previous" leads to the first twenty.
        await page.Locator("li.gx-grant-card").First.GetByRole(AriaRole.Button, new() { Name = "Revoke Fare watcher's access" }).ClickAsync();
        await Assertions.Expect(page.Locator("#permissions-notice")).ToHaveTextAsync("Revoked 1 grant.");
        await Assertions.Expect(page.Locator("li.gx-grant-card")).ToHaveCountAsync(1);
        await page.Locator("#permissions-previous").ClickAsync();
        await Assertions.Expect(page.Locator("li.gx-grant-card")).ToHaveCountAsync(20);
        await Assertions.Expect(page.Locator("#permissions-count")).ToHaveTextAsync("1 agent can act for you (21 active grants).");
    }

    private async Task<string> SessionLinkAsync(string apiKey, string principalId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var response = await http.PostAsJsonAsync("/v1/principal-sessions", new { principalId, expiresIn = "1h" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dashboardUrl").GetString()!;
    }
}

/// <summary>The "My grants" page test starts from a fresh database (its console needs the first-administrator set-up).</summary>
[CollectionDefinition(Name)]
public sealed class PermissionsBrowserCollection : ICollectionFixture<PermissionsAppFixture>
{
    public const string Name = "permissions-browser";
}

/// <summary>A separate app instance (own port, SQLite file and Chromium) for the "My grants" page test.</summary>
public sealed class PermissionsAppFixture : BrowserAppFixture;
