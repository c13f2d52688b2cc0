using Bunit;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Agents;
using Grantex.Console.Components.Pages.Grants;
using Grantex.Console.Components.Pages.Overview;

namespace Grantex.Console.Tests.Console;

/// <summary>The lists' three renderings (loading, empty with a reason, failed) and what each role sees on them.</summary>
public sealed class GrantListTests : ConsoleComponentTest
{
    [Fact]
    public async Task an_empty_list_says_what_fills_it()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);

        var page = Context.Render<Grants>();

        page.WaitForAssertion(() => Assert.Contains("No grants yet", page.Markup, StringComparison.Ordinal));
        Assert.Contains("POST /v1/token", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task filters_that_match_nothing_say_so_instead_of_no_grants_yet()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);
        Navigation.NavigateTo("/grants?principal=bob");

        var page = Context.Render<Grants>();

        page.WaitForAssertion(() => Assert.Contains("No grant matches these filters", page.Markup, StringComparison.Ordinal));
        Assert.Contains("bob", page.Find("[data-filter=principal]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_bad_filter_in_the_url_is_an_error_with_the_reason_not_a_guess()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        Navigation.NavigateTo("/grants?status=bogus");

        var page = Context.Render<Grants>();

        page.WaitForAssertion(() => Assert.Contains("status must be active, revoked or expired.", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll(".gx-grants"));
    }

    [Fact]
    public async Task rows_show_copyable_monospace_ids_and_relative_times_with_the_exact_utc_time()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var tree = await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);

        var page = Context.Render<Grants>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".gx-grant-row").Count));
        var id = page.Find($".gx-id a.gx-mono[href='/grants/{tree.Root.Id}']");
        Assert.Equal(tree.Root.Id, id.GetAttribute("title"));
        Assert.Equal($"{tree.Root.Id[..11]}…{tree.Root.Id[^6..]}", id.TextContent);
        Assert.NotNull(page.Find($"button[aria-label='Copy {tree.Root.Id}']"));
        var time = page.FindAll("time.gx-time")[0];
        Assert.Equal("just now", time.TextContent);
        Assert.EndsWith("Z", time.GetAttribute("datetime"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_administrator_gets_revoke_buttons_on_active_grants_and_a_viewer_gets_none()
    {
        var tree = await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var asAdmin = Context.Render<Grants>();
        asAdmin.WaitForAssertion(() => Assert.Equal(4, asAdmin.FindAll("button[aria-label^='Revoke grnt_']").Count));

        await SignInAsync("victor", ConsoleRoles.Viewer);
        var asViewer = Context.Render<Grants>();

        asViewer.WaitForAssertion(() => Assert.Equal(4, asViewer.FindAll(".gx-grant-row").Count));
        Assert.Empty(asViewer.FindAll("button[aria-label^='Revoke grnt_']"));
        Assert.NotEmpty(asViewer.FindAll($"a[href='/grants/{tree.Root.Id}/tree']"));
    }

    [Fact]
    public async Task a_compliance_officer_cannot_create_or_change_agents_from_the_agent_list()
    {
        await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);
        await SignInAsync("carol", ConsoleRoles.ComplianceOfficer);

        var page = Context.Render<Agents>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("a[href^='/agents/ag_']").Count));
        Assert.Empty(page.FindAll("[data-testid=create-agent]"));
        Assert.Empty(page.FindAll("button[aria-label^='Actions for']"));
    }

    [Fact]
    public async Task while_the_data_is_on_its_way_the_overview_shows_progress_not_an_empty_message()
    {
        Authorization.SetAuthorizing();

        var page = Context.Render<Overview>();

        Assert.NotEmpty(page.FindAll("[aria-label='Loading the overview']"));
        Assert.DoesNotContain("Nothing recorded yet", page.Markup, StringComparison.Ordinal);
    }
}
