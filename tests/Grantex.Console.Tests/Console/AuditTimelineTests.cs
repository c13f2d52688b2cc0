using Bunit;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Audit;
using Microsoft.Data.Sqlite;

namespace Grantex.Console.Tests.Console;

public sealed class AuditTimelineTests : ConsoleComponentTest
{
    [Fact]
    public async Task entries_appear_newest_first_as_sentences_with_names_the_label_links_and_time()
    {
        await SignInAsync("carol", ConsoleRoles.ComplianceOfficer);
        var developer = await World.CreateDeveloperAsync();
        var tree = await World.CreateTreeAsync(developer.Id);
        Navigation.NavigateTo($"/audit?dev={developer.Id}");

        var page = Context.Render<AuditTimeline>();

        page.WaitForAssertion(() => Assert.Equal(8, page.FindAll("[data-entry]").Count));
        var newest = page.FindAll("[data-entry]")[0];
        Assert.Equal("Mailer received a delegated grant for alice by test", newest.QuerySelector(".gx-entry-sentence")!.TextContent);
        Assert.Equal("Grant delegated to a sub-agent", newest.QuerySelector(".gx-entry-label")!.TextContent);
        Assert.DoesNotContain("grant.delegated", newest.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(tree.Second.Id, newest.TextContent, StringComparison.Ordinal);
        Assert.NotNull(newest.QuerySelector($"a[href='/grants/{tree.Second.Id}']"));
        Assert.NotNull(newest.QuerySelector($"a[href='/agents/{tree.Mailer.Id}']"));
        Assert.NotNull(newest.QuerySelector("time[datetime]"));
        Assert.Equal("Success", newest.GetAttribute("data-outcome"));
        Assert.StartsWith("Agent registered: Planner by ", page.FindAll("[data-entry]")[^2].QuerySelector(".gx-entry-sentence")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Developer created", page.FindAll("[data-entry]")[^1].QuerySelector(".gx-entry-sentence")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task filters_come_from_the_url_and_show_as_chips_that_remove_themselves_from_the_url()
    {
        await SignInAsync("carol", ConsoleRoles.ComplianceOfficer);
        var developer = await World.CreateDeveloperAsync();
        await World.CreateTreeAsync(developer.Id);
        Navigation.NavigateTo($"/audit?dev={developer.Id}&action=grant.delegated");

        var page = Context.Render<AuditTimeline>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-entry]").Count));
        var chip = page.Find("[data-filter=action]");
        Assert.Contains("grant.delegated", chip.TextContent, StringComparison.Ordinal);
        chip.QuerySelector("button")!.Click();
        // The chip's handler navigates after an await: wait for the navigation, don't read the URL mid-flight.
        page.WaitForAssertion(() => Assert.DoesNotContain("action=", Navigation.Uri, StringComparison.Ordinal));
        Assert.Contains($"dev={developer.Id}", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task no_match_says_so_and_how_to_see_more()
    {
        await SignInAsync("carol", ConsoleRoles.ComplianceOfficer);
        await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);
        Navigation.NavigateTo("/audit?principal=nobody");

        var page = Context.Render<AuditTimeline>();

        page.WaitForAssertion(() => Assert.Contains("No entry matches these filters", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-entry]"));
    }

    [Fact]
    public async Task a_bad_date_in_the_url_is_reported_not_guessed()
    {
        await SignInAsync("carol", ConsoleRoles.ComplianceOfficer);
        Navigation.NavigateTo("/audit?since=yesterday");

        var page = Context.Render<AuditTimeline>();

        page.WaitForAssertion(() => Assert.Contains("since and until must be dates (yyyy-MM-dd).", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task the_chain_badge_is_intact_then_names_and_links_the_entry_changed_in_the_database()
    {
        await SignInAsync("carol", ConsoleRoles.ComplianceOfficer);
        var developer = await World.CreateDeveloperAsync();
        var tree = await World.CreateTreeAsync(developer.Id);
        Navigation.NavigateTo($"/audit?dev={developer.Id}");
        var page = Context.Render<AuditTimeline>();
        page.WaitForAssertion(() => Assert.Contains("Chain intact · 8 entries checked", Text(page.Find(".gx-chain-badge[data-chain=intact]")), StringComparison.Ordinal));

        var tampered = await TamperAsync(tree.Child.Id); // the 6th entry: developer, three agents, the root grant come first
        page.Find("[aria-label='Verify the chain again']").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find(".gx-chain-badge[data-chain=broken]")));
        var link = page.Find(".gx-broken-link");
        Assert.Equal(tampered, link.TextContent);
        Assert.Equal($"/audit/{tampered}", link.GetAttribute("href"));
        Assert.Contains("its fields no longer produce its stored hash (the entry was changed)", Text(page.Find(".gx-chain-badge")), StringComparison.Ordinal);
        Assert.Contains("The 5 entries before it are intact.", Text(page.Find(".gx-chain-badge")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_viewer_reads_the_timeline_but_is_told_verification_is_for_other_roles()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);

        var page = Context.Render<AuditTimeline>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-entry]")));
        Assert.Equal("not-allowed", page.Find(".gx-chain-badge").GetAttribute("data-chain"));
        Assert.Contains("Chain verification is for compliance officers and administrators.", page.Find(".gx-chain-badge").TextContent, StringComparison.Ordinal);
    }

    /// <summary>Changes the principal of the grant's audit entry straight in SQLite; returns the entry id.</summary>
    private async Task<string> TamperAsync(string grantId)
    {
        await using var connection = new SqliteConnection(World.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE audit_entries SET PrincipalId = 'mallory' WHERE GrantId = $grant RETURNING Id";
        command.Parameters.AddWithValue("$grant", grantId);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
