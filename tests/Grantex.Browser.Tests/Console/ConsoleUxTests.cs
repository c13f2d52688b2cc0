using Grantex.Console.Components.Account;
using Grantex.Core.Audit;
using Grantex.Core.Developers;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Grantex.Browser.Tests.Console.ConsoleBrowser;

namespace Grantex.Browser.Tests.Console;

/// <summary>
/// Console behaviours from issue #12's rough edges, in a real browser: developers as a searchable list, revoking one
/// principal's grants under every developer without choosing one first, a page refused by role is audited once, and the
/// console follows the system's dark setting live.
/// </summary>
[Collection(ConsoleUxCollection.Name)]
public sealed class ConsoleUxTests(ConsoleUxAppFixture app) : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private static readonly ViewportSize Laptop = new() { Width = 1280, Height = 800 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public async Task InitializeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ConsoleAccounts>();
        if ((await accounts.CreateAsync("ada", "Ada Admin", Password, ConsoleRoles.Administrator)).Error is null)
        {
            Assert.Null((await accounts.CreateAsync("vic", "Vic Viewer", Password, ConsoleRoles.Viewer)).Error);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task developers_are_a_compact_searchable_list_and_the_chosen_one_opens_below()
    {
        var developers = app.Services.GetRequiredService<DeveloperService>();
        foreach (var name in new[] { "Search Alpha Ltd", "Search Beta Corp", "Search Gamma Inc" })
        {
            await developers.CreateAsync(name, DeveloperMode.Sandbox);
        }

        await using var context = await app.NewContextAsync(Laptop);
        var page = await context.NewPageAsync();
        await SignInWithPasswordAsync(page, "ada", Password);
        await LeftAccountPagesAsync(page);
        foreach (var (size, name) in new[] { (Laptop, "laptop"), (Phone, "phone") })
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
            await OpenAsync(page, "/developers");
            var search = page.GetByTestId("developer-search");
            await search.FillAsync("beta");
            var rows = page.Locator("[data-developer]");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First).ToHaveTextAsync("Search Beta Corp");
            await Assertions.Expect(page.GetByTestId("developer-count")).ToContainTextAsync("1 of");
            await ShotAsync(page, $"developers-search-{name}");

            await rows.First.ClickAsync();
            var detail = page.GetByTestId("developer-detail");
            await Assertions.Expect(detail.GetByRole(AriaRole.Heading, new() { Name = "Search Beta Corp" })).ToBeVisibleAsync();
            Assert.Matches("developer=dev_", page.Url);
            await Assertions.Expect(detail).ToContainTextAsync("API keys");
            Assert.Equal(0, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
            await ShotAsync(page, $"developers-detail-{name}");
        }
    }

    [Fact]
    public async Task a_principals_grants_under_every_developer_are_revoked_from_the_unfiltered_list_after_one_dialog_naming_them()
    {
        var developers = app.Services.GetRequiredService<DeveloperService>();
        var north = (await developers.CreateAsync("North Shop", DeveloperMode.Sandbox)).Value!;
        var south = (await developers.CreateAsync("South Bank", DeveloperMode.Sandbox)).Value!;
        using var northApi = new GrantexApi(app.BaseUrl, north.ApiKey);
        using var southApi = new GrantexApi(app.BaseUrl, south.ApiKey);
        var northAgent = await northApi.CreateAgentAsync("North helper", "orders:read");
        var southAgent = await southApi.CreateAgentAsync("South helper", "accounts:read");
        var (_, north1) = await northApi.GrantAsync(northAgent, "carol@example.com", "orders:read");
        var (_, north2) = await northApi.GrantAsync(northAgent, "carol@example.com", "orders:read");
        var (_, south1) = await southApi.GrantAsync(southAgent, "carol@example.com", "accounts:read");
        var (_, other) = await southApi.GrantAsync(southAgent, "dave@example.com", "accounts:read");

        await using var context = await app.NewContextAsync(Laptop);
        var page = await context.NewPageAsync();
        await SignInWithPasswordAsync(page, "ada", Password);
        await LeftAccountPagesAsync(page);
        await OpenAsync(page, "/grants?principal=carol%40example.com");
        var revoke = page.GetByTestId("revoke-principal");
        await Assertions.Expect(revoke).ToContainTextAsync("all developers");
        await revoke.ClickAsync();

        var dialog = page.Locator(".gx-revoke-dialog");
        await Assertions.Expect(dialog.Locator("#gx-revoke-title")).ToHaveTextAsync("Revoke 3 grants of principal carol@example.com across 2 developers");
        await Assertions.Expect(dialog.Locator(".gx-revoke-developers")).ToHaveTextAsync("Across North Shop (2 grants) and South Bank (1 grant).");
        await Assertions.Expect(dialog.Locator("tr[data-grant]")).ToHaveCountAsync(3);
        await ShotAsync(page, "revoke-principal-everywhere");
        await dialog.Locator(".gx-confirm").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Revoked 3 grants across 2 developers");

        Assert.False(await northApi.VerifyAsync(north1));
        Assert.False(await northApi.VerifyAsync(north2));
        Assert.False(await southApi.VerifyAsync(south1));
        Assert.True(await southApi.VerifyAsync(other));

        // Audited as any console revoke-all: in each developer's own chain, by the operator.
        var audit = app.Services.GetRequiredService<AuditService>();
        foreach (var (developer, count) in new[] { (north.Developer.Id, 2), (south.Developer.Id, 1) })
        {
            var revoked = await audit.ListAcrossAsync(developer, new AuditFilter(Action: AuditActions.GrantRevoked.Name), null, 50);
            Assert.Equal(count, revoked.Items.Count);
            Assert.All(revoked.Items, e => Assert.Equal("console:ada", e.Actor));
        }
    }

    [Fact]
    public async Task a_page_refused_for_the_viewers_role_is_audited_once_and_the_tree_offers_no_revocation()
    {
        var created = (await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Viewer Corp", DeveloperMode.Sandbox)).Value!;
        using var api = new GrantexApi(app.BaseUrl, created.ApiKey);
        var agent = await api.CreateAgentAsync("Viewer agent", "files:read");
        var (grantId, _) = await api.GrantAsync(agent, "erin@example.com", "files:read");

        await using var context = await app.NewContextAsync(Phone);
        var page = await context.NewPageAsync();
        await SignInWithPasswordAsync(page, "vic", Password);
        await LeftAccountPagesAsync(page);
        // Asked of the server: refused before any page renders, and audited once.
        await page.GotoAsync("/users");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not available for your role" })).ToBeVisibleAsync();
        var audit = app.Services.GetRequiredService<AuditService>();
        var refused = await audit.ListAcrossAsync(AuditChains.Console, new AuditFilter(Action: AuditActions.ConsoleAccessDenied.Name), null, 10);
        var entry = Assert.Single(refused.Items);
        Assert.Equal("console:vic", entry.Actor);
        Assert.Contains("\"page\":\"/users\"", entry.MetadataJson, StringComparison.Ordinal);
        Assert.Contains("role Viewer", entry.MetadataJson, StringComparison.Ordinal);

        // Reached by navigating inside the running console: the same page, and one more entry.
        await OpenAsync(page, "/grants");
        await page.EvaluateAsync("() => Blazor.navigateTo('/compliance')");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not available for your role" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-interactive]")).ToHaveCountAsync(1);
        var pages = new List<string>();
        await Eventually.UntilAsync(async () =>
        {
            pages = [.. (await audit.ListAcrossAsync(AuditChains.Console, new AuditFilter(Action: AuditActions.ConsoleAccessDenied.Name), null, 10)).Items.Select(e => e.MetadataJson)];
            return pages.Count >= 2;
        }, "the in-console refusal was never audited");
        Assert.Equal(2, pages.Count);
        Assert.Single(pages, m => m.Contains("\"page\":\"/compliance\"", StringComparison.Ordinal));

        // The tree shows what a revocation would cut off, says plainly that revoking is not theirs, and offers nothing.
        await OpenAsync(page, $"/grants/{grantId}/tree");
        await Assertions.Expect(page.GetByTestId("revoke-not-allowed")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("If you revoke")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("revoke-selected")).ToHaveCountAsync(0);

        // The audit log tells it in words.
        await using var adminContext = await app.NewContextAsync(Laptop);
        var admin = await adminContext.NewPageAsync();
        await SignInWithPasswordAsync(admin, "ada", Password);
        await LeftAccountPagesAsync(admin);
        await OpenAsync(admin, "/audit");
        await Assertions.Expect(admin.GetByText("Page /users refused by Vic Viewer").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task the_console_follows_the_systems_dark_setting_and_switches_live()
    {
        await using var context = await app.NewContextAsync(Laptop);
        var page = await context.NewPageAsync();
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await SignInWithPasswordAsync(page, "ada", Password);
        await LeftAccountPagesAsync(page);
        await OpenAsync(page, "/grants");
        await Assertions.Expect(page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(23, 24, 31)");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
        await Assertions.Expect(page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(255, 255, 255)");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await Assertions.Expect(page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(23, 24, 31)");
        await ShotAsync(page, "grants-dark");
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleUxCollection : ICollectionFixture<ConsoleUxAppFixture>
{
    public const string Name = "console-ux";
}

/// <summary>An app and database of its own (exact audit counts).</summary>
public sealed class ConsoleUxAppFixture : BrowserAppFixture;
