using Grantex.Console.Components.Account;
using Grantex.Core.Developers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Grantex.Browser.Tests.Console.ConsoleBrowser;

namespace Grantex.Browser.Tests.Console;

/// <summary>
/// The Policies screen in a real browser: an administrator writes rules with the editor (bad input is named, nothing
/// saved), the dry run names the rule that decides, and a viewer reads the same page without any edit control.
/// </summary>
[Collection(PoliciesBrowserCollection.Name)]
public sealed class PoliciesPageTests(PoliciesAppFixture app)
{
    private const string Password = "correct horse battery staple";
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task an_administrator_writes_policies_and_the_dry_run_names_the_deciding_rule_while_a_viewer_only_reads()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<ConsoleAccounts>();
            Assert.Null((await accounts.CreateAsync("ada", "Ada Admin", Password, ConsoleRoles.Administrator)).Error);
            Assert.Null((await accounts.CreateAsync("vic", "Vic Viewer", Password, ConsoleRoles.Viewer)).Error);
        }

        var created = (await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Mail", DeveloperMode.Live)).Value!;
        var dev = created.Developer.Id;
        using (var api = new GrantexApi(app.BaseUrl, created.ApiKey))
        {
            await api.CreateAgentAsync("Inbox assistant", "email:read", "email:send");
        }

        await using var adminContext = await app.NewContextAsync(Desktop);
        var admin = await adminContext.NewPageAsync();
        await SignInWithPasswordAsync(admin, "ada", Password);
        await LeftAccountPagesAsync(admin);
        await OpenAsync(admin, $"/policies?dev={dev}");
        await Assertions.Expect(admin.GetByText("No policies for this developer")).ToBeVisibleAsync();

        // A deny rule with a malformed time: the field says so, and the server refuses it without saving anything.
        await admin.GetByTestId("create-policy").ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await dialog.GetByTestId("policy-name").FillAsync("No night sends");
        await dialog.GetByTestId("policy-scopes").FillAsync("email:send");
        await dialog.GetByTestId("policy-start").FillAsync("25:00");
        await dialog.GetByTestId("policy-end").FillAsync("06:00");
        await dialog.GetByTestId("policy-end").BlurAsync();
        await Assertions.Expect(dialog.GetByText("Use HH:MM, 00:00 to 23:59")).ToBeVisibleAsync();
        await dialog.GetByTestId("policy-save").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("policy-error")).ToContainTextAsync("timeOfDayStart");
        await ShotAsync(admin, "policies-1-editor-invalid-1280");

        await dialog.GetByTestId("policy-start").FillAsync("22:00");
        await dialog.GetByTestId("policy-zone").FillAsync("Europe/Paris");
        await dialog.GetByTestId("policy-save").ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Assertions.Expect(admin.GetByTestId("policy-table")).ToContainTextAsync("No night sends");

        // An allow rule for reads.
        await admin.GetByTestId("create-policy").ClickAsync();
        await dialog.GetByTestId("policy-name").FillAsync("Reads are fine");
        await dialog.GetByTestId("policy-effect").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "allow — approve at once, no consent screen" }).ClickAsync();
        await dialog.GetByTestId("policy-scopes").FillAsync("email:read");
        await dialog.GetByTestId("policy-save").ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        var rows = admin.GetByTestId("policy-table").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("No night sends");

        // The dry run: a night send is refused by the deny rule; a daytime read is approved by the allow rule.
        await admin.GetByTestId("dry-agent").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "Inbox assistant" }).ClickAsync();
        await admin.GetByTestId("dry-principal").FillAsync("alice");
        await admin.GetByTestId("dry-scopes").FillAsync("email:send");
        await admin.GetByTestId("dry-time").FillAsync("2026-03-01T22:30Z");
        await admin.GetByTestId("dry-run").ClickAsync();
        var result = admin.GetByTestId("dry-result");
        await Assertions.Expect(result).ToContainTextAsync("Denied (403 POLICY_DENIED)");
        await Assertions.Expect(result).ToContainTextAsync("No night sends");
        await ShotAsync(admin, "policies-2-dry-run-denied-1280");

        await admin.GetByTestId("dry-scopes").FillAsync("email:read");
        await admin.GetByTestId("dry-time").FillAsync("2026-03-01T10:00Z");
        await admin.GetByTestId("dry-run").ClickAsync();
        await Assertions.Expect(result).ToContainTextAsync("Approved at once");
        await Assertions.Expect(result).ToContainTextAsync("Reads are fine");

        // A viewer on a phone: the list and the dry run, no way to change anything.
        await using var viewerContext = await app.NewContextAsync(Phone);
        var viewer = await viewerContext.NewPageAsync();
        await SignInWithPasswordAsync(viewer, "vic", Password);
        await LeftAccountPagesAsync(viewer);
        await OpenAsync(viewer, $"/policies?dev={dev}");
        await Assertions.Expect(viewer.GetByTestId("policy-table")).ToContainTextAsync("Reads are fine");
        await Assertions.Expect(viewer.GetByTestId("create-policy")).ToHaveCountAsync(0);
        await Assertions.Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Actions for No night sends" })).ToHaveCountAsync(0);
        await Assertions.Expect(viewer.GetByTestId("dry-run")).ToBeVisibleAsync();
        await ShotAsync(viewer, "policies-3-viewer-390");

        // The administrator's page on a phone too (the table with its action menus).
        await admin.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await ShotAsync(admin, "policies-4-admin-390");
        await Assertions.Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Actions for No night sends" })).ToHaveCountAsync(1);
    }
}

/// <summary>The Policies page test starts from its own database (its own accounts and developer).</summary>
[CollectionDefinition(Name)]
public sealed class PoliciesBrowserCollection : ICollectionFixture<PoliciesAppFixture>
{
    public const string Name = "policies-browser";
}

/// <summary>A separate app instance (own port, SQLite file and Chromium) for the Policies page test.</summary>
public sealed class PoliciesAppFixture : BrowserAppFixture;
