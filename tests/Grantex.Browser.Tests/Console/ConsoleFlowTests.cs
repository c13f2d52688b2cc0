using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Grantex.Browser.Tests.Console.ConsoleBrowser;

namespace Grantex.Browser.Tests.Console;

/// <summary>
/// The console end to end, in one story on a fresh database (the steps depend on each other): the first administrator
/// is created with the set-up code and a passkey, signs out and back in with it, creates a developer and an agent; an API
/// flow makes a delegation tree that appears on an open page; the tree shows its blast radius; revoking the root shows
/// the right count and updates a compliance officer's open page; the audit badge is intact, then names the entry
/// tampered with in SQLite.
/// </summary>
[Collection(ConsoleBrowserCollection.Name)]
public sealed partial class ConsoleFlowTests(ConsoleAppFixture app)
{
    private const string OfficerPassword = "correct horse battery staple";

    [Fact]
    public async Task an_administrator_finds_a_delegation_tree_revokes_it_in_one_click_and_other_consoles_and_the_audit_badge_follow()
    {
        await using var adminContext = await app.NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await AddVirtualAuthenticatorAsync(adminContext, admin);

        // First visit on an empty database: everything leads to the first-administrator page.
        await admin.GotoAsync("/grants");
        Assert.EndsWith("/account/setup", admin.Url);
        await ShotAsync(admin, "01-setup");
        await FillSetupCodeAsync(admin, app.DataDirectory);
        await admin.GetByLabel("User name").FillAsync("ada");
        await admin.GetByLabel("Your name (optional)").FillAsync("Ada Admin");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create with a passkey" }).ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(app.BaseUrl + "/");
        await WaitForCircuitAsync(admin);
        await Assertions.Expect(admin.Locator(".gx-whoami")).ToContainTextAsync("Ada Admin · Administrator");

        // Sign out, then back in with the passkey alone.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex("/account/login"));
        await ShotAsync(admin, "02-login");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(app.BaseUrl + "/");
        await WaitForCircuitAsync(admin);
        await Assertions.Expect(admin.Locator(".gx-whoami")).ToContainTextAsync("Administrator");

        // A developer (its key is shown once) and an agent, through the console.
        await OpenAsync(admin, "/developers");
        await admin.GetByTestId("create-developer").ClickAsync();
        await admin.GetByLabel("Name").First.FillAsync("Acme Travel");
        await admin.GetByTestId("developer-create").ClickAsync();
        var apiKey = (await admin.Locator(".gx-secret .gx-mono").TextContentAsync())!.Trim();
        Assert.StartsWith("gx_test_", apiKey);
        await ShotAsync(admin, "03-api-key-shown-once");
        await admin.GetByRole(AriaRole.Button, new() { Name = "I have stored the key" }).ClickAsync();
        // Other browser tests share this app's database, so find this developer by its name.
        var developerCard = admin.Locator("[data-developer]", new() { HasText = "Acme Travel" });
        await Assertions.Expect(developerCard).ToHaveCountAsync(1);
        var developerId = await developerCard.GetAttributeAsync("data-developer");
        await ShotAsync(admin, "04-developers");

        await OpenAsync(admin, "/agents");
        await admin.GetByTestId("create-agent").ClickAsync();
        await admin.GetByTestId("agent-name").FillAsync("Travel planner");
        await admin.GetByTestId("agent-description").FillAsync("Plans trips and books them.");
        await admin.GetByTestId("agent-scopes").FillAsync("calendar:read email:send");
        await admin.GetByTestId("agent-save").ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex("/agents/ag_"));
        await WaitForCircuitAsync(admin);
        var plannerId = admin.Url[(admin.Url.LastIndexOf('/') + 1)..];
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Travel planner" })).ToBeVisibleAsync();
        await ShotAsync(admin, "05-agent-detail");

        // The grant list is open while the developer's server runs an authorization and delegates twice.
        await OpenAsync(admin, $"/grants?dev={developerId}");
        await Assertions.Expect(admin.GetByText("No grant matches these filters")).ToBeVisibleAsync();
        using var api = new GrantexApi(app.BaseUrl, apiKey);
        var booker = await api.CreateAgentAsync("Booking helper", "calendar:read");
        var mailer = await api.CreateAgentAsync("Mailer", "email:send");
        var (rootId, rootToken) = await api.GrantAsync(plannerId, "alice", "calendar:read", "email:send");
        var (childId, childToken) = await api.DelegateAsync(rootToken, booker, "calendar:read");
        var (grandchildId, grandchildToken) = await api.DelegateAsync(childToken, mailer, "calendar:read");
        var (secondChildId, _) = await api.DelegateAsync(rootToken, mailer, "email:send");
        await Assertions.Expect(admin.Locator($".gx-grants a[href='/grants/{rootId}']").First).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator(".gx-grants .gx-grant-row")).ToHaveCountAsync(4);

        // Find it by principal: the filter goes to the URL and shows as a removable chip.
        await admin.Locator(".gx-grants").GetByRole(AriaRole.Link, new() { Name = "Only grants of principal alice" }).First.ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex("principal=alice"));
        await Assertions.Expect(admin.Locator("[data-filter=principal]")).ToBeVisibleAsync();
        await ShotAsync(admin, "06-grants-filtered");

        // A compliance officer, created by the administrator, signs in with a password in another browser.
        await OpenAsync(admin, "/users");
        await admin.GetByTestId("create-user").ClickAsync();
        await admin.GetByTestId("user-name").FillAsync("carol");
        await admin.GetByTestId("user-password").FillAsync(OfficerPassword);
        await admin.GetByTestId("user-role").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "Compliance officer — reads, verifies the audit chain, exports" }).ClickAsync();
        await admin.GetByTestId("user-create").ClickAsync();
        await Assertions.Expect(admin.Locator("[data-user=carol]")).ToBeVisibleAsync();
        await ShotAsync(admin, "07-users");

        await using var officerContext = await app.NewContextAsync();
        var officer = await officerContext.NewPageAsync();
        await SignInWithPasswordAsync(officer, "carol", OfficerPassword);
        await Assertions.Expect(officer).ToHaveURLAsync(app.BaseUrl + "/");
        await OpenAsync(officer, $"/grants/{rootId}/tree");
        await Assertions.Expect(officer.Locator(".gx-tree-node")).ToHaveCountAsync(4);
        await Assertions.Expect(officer.GetByTestId("revoke-selected")).ToHaveCountAsync(0);

        // The administrator opens the tree: the whole tree, and what revoking each node would cut off.
        await OpenAsync(admin, $"/grants/{rootId}/tree");
        await Assertions.Expect(admin.Locator(".gx-tree-node")).ToHaveCountAsync(4);
        await Assertions.Expect(admin.GetByTestId("tree-summary")).ToContainTextAsync("4 grants · deepest delegation 2");
        await Assertions.Expect(admin.GetByTestId("preview-grants")).ToHaveTextAsync("4 grants would be revoked");
        await Assertions.Expect(admin.GetByTestId("preview-tokens")).ToContainTextAsync("4 grant tokens would stop verifying");
        await admin.Locator($".gx-tree-node[data-grant={childId}]").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("preview-grants")).ToHaveTextAsync("2 grants would be revoked");
        await Assertions.Expect(admin.GetByTestId("blast-radius").Locator($"[data-grant={grandchildId}]")).ToBeVisibleAsync();
        await ShotAsync(admin, "08-tree-child-selected");
        await admin.Locator($".gx-tree-node[data-grant={rootId}]").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("preview-grants")).ToHaveTextAsync("4 grants would be revoked");

        // One click: the dialog names the verb, the count and the objects, with focus on Cancel.
        await admin.GetByTestId("revoke-selected").ClickAsync();
        var dialog = admin.Locator(".gx-revoke-dialog");
        await Assertions.Expect(dialog.GetByText($"Revoke grant {rootId} and 3 delegated grants")).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator("tr[data-grant]")).ToHaveCountAsync(4);
        
        await Assertions.Expect(dialog.Locator(".gx-cancel")).ToBeFocusedAsync();
        await ShotAsync(admin, "09-revoke-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke 4 grants" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".mud-snackbar")).ToContainTextAsync("Revoked 4 grants");
        await Assertions.Expect(admin.Locator(".gx-tree-node[data-status=revoked]")).ToHaveCountAsync(4);

        // The compliance officer's open page follows without a reload, and the tokens no longer verify.
        await Assertions.Expect(officer.Locator(".gx-tree-node[data-status=revoked]")).ToHaveCountAsync(4);
        await ShotAsync(officer, "10-second-console-updated");
        Assert.False(await api.VerifyAsync(grandchildToken));
        Assert.False(await api.VerifyAsync(rootToken));
        _ = secondChildId;

        // The audit timeline: the chain is intact, until an entry is changed directly in the database file.
        await OpenAsync(admin, $"/audit?dev={developerId}");
        await Assertions.Expect(admin.Locator(".gx-chain-badge[data-chain=intact]")).ToBeVisibleAsync();
        await ShotAsync(admin, "11-audit-intact");
        var tampered = await TamperAsync(developerId!, "grant.created");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Verify the chain again" }).ClickAsync();
        var broken = admin.Locator(".gx-chain-badge[data-chain=broken]");
        await Assertions.Expect(broken).ToBeVisibleAsync();
        await Assertions.Expect(broken.Locator(".gx-broken-link")).ToHaveTextAsync(tampered);
        await Assertions.Expect(broken).ToContainTextAsync("its fields no longer produce its stored hash (the entry was changed)");
        await ShotAsync(admin, "12-audit-broken");
        await broken.Locator(".gx-broken-link").ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex($"/audit/{tampered}"));
        await Assertions.Expect(admin.GetByTestId("hash-check")).ToContainTextAsync("no longer produce its stored hash");
        await ShotAsync(admin, "13-audit-entry");

        await OpenAsync(admin, "/");
        await Assertions.Expect(admin.Locator("[data-stat=revoked-today]")).ToContainTextAsync("4");
        await ShotAsync(admin, "14-overview");
        await OpenAsync(admin, "/keys");
        await ShotAsync(admin, "15-keys");
        await OpenAsync(admin, "/agents");
        await Assertions.Expect(admin.Locator("a[href^='/agents/ag_']")).ToHaveCountAsync(3);
        await ShotAsync(admin, "17-agents");
        await OpenAsync(admin, $"/grants/{childId}");
        await Assertions.Expect(admin.GetByText("Delegated from")).ToBeVisibleAsync();
        await ShotAsync(admin, "18-grant-detail");
        await admin.GotoAsync("/account/security");
        await Assertions.Expect(admin.Locator("[data-passkeys='1']")).ToBeVisibleAsync();
        await ShotAsync(admin, "19-passkeys");
    }

    /// <summary>Changes the action of the developer's first entry with that action, straight in SQLite; returns its id.</summary>
    private async Task<string> TamperAsync(string developerId, string action)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var find = connection.CreateCommand();
        find.CommandText = "SELECT Id FROM audit_entries WHERE DeveloperId = $dev AND Action = $action ORDER BY ChainIndex LIMIT 1";
        find.Parameters.AddWithValue("$dev", developerId);
        find.Parameters.AddWithValue("$action", action);
        var id = (string)(await find.ExecuteScalarAsync())!;
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE audit_entries SET Action = 'grant.created.edited' WHERE Id = $id";
        update.Parameters.AddWithValue("$id", id);
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
        return id;
    }
}
