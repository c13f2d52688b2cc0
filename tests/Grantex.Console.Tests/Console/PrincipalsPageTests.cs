using Bunit;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Principals;
using Grantex.Core.Grants;
using Grantex.Core.Principals;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Grantex.Console.Tests.Console;

/// <summary>The Principals screen: SCIM users and principals seen in grants, search, paging, detail, revoke all, role rules.</summary>
public sealed class PrincipalsPageTests : ConsoleComponentTest
{
    [Fact]
    public async Task the_directory_merges_scim_users_and_principals_seen_in_grants_and_a_viewer_cannot_revoke()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var developer = (await World.CreateDeveloperAsync()).Id;
        await World.CreateTreeAsync(developer, "alice");
        var agent = await World.CreateAgentAsync(developer, "Solo");
        await World.AddGrantAsync(developer, agent.Id, "bob", null);
        var scim = new ScimCaller(developer, "scimtok_test");
        var directory = World.Get<PrincipalDirectory>();
        await directory.CreateAsync(scim, new ScimUserInput("alice", null, "Alice A.", null, null, true, []));
        await directory.CreateAsync(scim, new ScimUserInput("carol", null, null, null, null, false, []));
        Navigation.NavigateTo($"/principals?dev={developer}");

        var page = Context.Render<Principals>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=principal-table] tbody tr").Count));
        var rows = page.FindAll("[data-testid=principal-table] tbody tr").Select(Text).ToList();
        Assert.True(rows[0].StartsWith("aliceAlice A. SCIM · seen in grants Active 4", StringComparison.Ordinal), rows[0]);
        Assert.StartsWith("bob Seen in grants Not in the directory 1", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("carol SCIM Deactivated (blocked) 0", rows[2], StringComparison.Ordinal);
        Assert.Equal("1–3 of 3", Text(page.Find("[data-testid=principal-count]")));

        Navigation.NavigateTo($"/principals?dev={developer}&principal=alice");
        page.WaitForElement("[data-testid=principal-detail]");
        Assert.Equal("4 active of 4 · show in Grants", Text(page.Find("[data-testid=principal-grants]")));
        Assert.Equal($"/grants?dev={developer}&principal=alice&status=active", page.Find("[data-testid=principal-grants] a").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=principal-revoke-all]"));
    }

    [Fact]
    public async Task search_and_paging_stay_in_the_query_string()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var developer = (await World.CreateDeveloperAsync()).Id;
        var agent = await World.CreateAgentAsync(developer, "Solo");
        for (var i = 0; i < 30; i++)
        {
            await World.AddGrantAsync(developer, agent.Id, $"user{i:00}@example.com", null);
        }

        Navigation.NavigateTo($"/principals?dev={developer}");
        var page = Context.Render<Principals>();
        page.WaitForAssertion(() => Assert.Equal("1–25 of 30", Text(page.Find("[data-testid=principal-count]"))));

        page.Find("[data-testid=principal-next]").Click();

        page.WaitForAssertion(() => Assert.Equal("26–30 of 30", Text(page.Find("[data-testid=principal-count]"))));
        Assert.Contains("page=2", Navigation.Uri, StringComparison.Ordinal);
        Assert.StartsWith("user25@example.com", Text(page.FindAll("[data-testid=principal-table] tbody tr")[0]), StringComparison.Ordinal);

        page.Find("input[data-testid=principal-search]").Change("user1");
        page.WaitForAssertion(() => Assert.Equal("1–10 of 10", Text(page.Find("[data-testid=principal-count]"))));
        Assert.DoesNotContain("page=", Navigation.Uri, StringComparison.Ordinal);
        Assert.Contains("q=user1", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_administrator_revokes_all_of_a_principals_grants_after_a_dialog_naming_the_count()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var developer = (await World.CreateDeveloperAsync()).Id;
        var tree = await World.CreateTreeAsync(developer, "alice");
        var agent = await World.CreateAgentAsync(developer, "Solo");
        var bob = await World.AddGrantAsync(developer, agent.Id, "bob", null);
        var providers = Context.Render<ContainerFragment>(p => p.AddChildContent(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
            b.OpenComponent<MudSnackbarProvider>(2);
            b.CloseComponent();
        }));
        Navigation.NavigateTo($"/principals?dev={developer}&principal=alice");
        var page = Context.Render<Principals>();

        page.WaitForElement("[data-testid=principal-revoke-all]").Click();

        providers.WaitForAssertion(() => Assert.Equal("Revoke 4 grants", Text(providers.Find(".gx-confirm"))));
        providers.Find(".gx-confirm").Click();
        page.WaitForAssertion(() => Assert.Equal("0 active of 4 · show in Grants", Text(page.Find("[data-testid=principal-grants]"))));
        foreach (var grant in tree.All)
        {
            Assert.Equal(GrantStatus.Revoked, await World.StatusAsync(grant.Id));
        }

        Assert.Equal(GrantStatus.Active, await World.StatusAsync(bob.Id));
        providers.WaitForAssertion(() => Assert.Contains("4 grants", providers.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_scim_deactivation_elsewhere_updates_an_open_screen()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var developer = (await World.CreateDeveloperAsync()).Id;
        var scim = new ScimCaller(developer, "scimtok_test");
        var directory = World.Get<PrincipalDirectory>();
        var user = (await directory.CreateAsync(scim, new ScimUserInput("dora", null, null, null, null, true, []))).Value!;
        Navigation.NavigateTo($"/principals?dev={developer}&principal=dora");
        var page = Context.Render<Principals>();
        page.WaitForAssertion(() => Assert.Equal("Active", Text(page.Find("[data-testid=principal-state]"))));

        await directory.ReplaceAsync(scim, user.Id, new ScimUserInput("dora", null, null, null, null, false, []));

        page.WaitForAssertion(() => Assert.Equal("Deactivated (blocked)", Text(page.Find("[data-testid=principal-state]"))));
        Assert.Contains("PRINCIPAL_DEACTIVATED", page.Markup, StringComparison.Ordinal);
        _ = Context.Services.GetRequiredService<PrincipalAdmin>();
    }
}
