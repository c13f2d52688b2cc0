using Bunit;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Grants;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Grantex.Console.Tests.Console;

public sealed class RevokeDialogTests : ConsoleComponentTest
{
    [Fact]
    public async Task the_dialog_names_the_verb_the_count_and_every_grant_and_puts_focus_on_cancel()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var tree = await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);
        var providers = RenderProviders();
        var flow = Context.Services.GetRequiredService<RevocationFlow>();

        var revoking = providers.InvokeAsync(() => flow.RevokeAsync(new RevocationTarget(RevocationScope.Grant, tree.Root.DeveloperId, tree.Root.Id)));

        providers.WaitForAssertion(() => Assert.NotEmpty(providers.FindAll(".gx-revoke-dialog")));
        Assert.Contains($"Revoke grant {tree.Root.Id} and 3 delegated grants", providers.Markup, StringComparison.Ordinal);
        var rows = providers.FindAll(".gx-revoke-grants tr[data-grant]");
        Assert.Equal(tree.All.Select(g => g.Id).Order(), rows.Select(r => r.GetAttribute("data-grant")!).Order());
        Assert.Equal("4 grant tokens stop verifying and 4 refresh tokens stop working.", Text(providers.Find(".gx-revoke-tokens")));
        Assert.Equal("Revoke 4 grants", Text(providers.Find(".gx-confirm")));
        var focus = Context.JSInterop.VerifyInvoke("gxConsole.focusFirstButton");
        var host = (ElementReference)focus.Arguments[0]!;
        var cancelHost = providers.Find(".gx-cancel").ParentElement!;
        Assert.Equal(cancelHost.GetAttribute("blazor:elementReference"), host.Id);

        providers.Find(".gx-cancel").Click();
        Assert.Null(await revoking);
    }

    [Fact]
    public async Task cancelling_changes_nothing()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var tree = await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);
        var providers = RenderProviders();
        var flow = Context.Services.GetRequiredService<RevocationFlow>();

        var revoking = providers.InvokeAsync(() => flow.RevokeAsync(new RevocationTarget(RevocationScope.Grant, tree.Root.DeveloperId, tree.Root.Id)));
        providers.WaitForElement(".gx-cancel").Click();

        Assert.Null(await revoking);
        foreach (var grant in tree.All)
        {
            Assert.Equal(GrantStatus.Active, await World.StatusAsync(grant.Id));
        }
    }

    [Fact]
    public async Task confirming_revokes_the_tree_and_the_snackbar_repeats_the_count()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var tree = await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);
        var providers = RenderProviders();
        var flow = Context.Services.GetRequiredService<RevocationFlow>();

        var revoking = providers.InvokeAsync(() => flow.RevokeAsync(new RevocationTarget(RevocationScope.Grant, tree.Root.DeveloperId, tree.Root.Id)));
        providers.WaitForElement(".gx-confirm").Click();

        Assert.Equal(4, await revoking);
        foreach (var grant in tree.All)
        {
            Assert.Equal(GrantStatus.Revoked, await World.StatusAsync(grant.Id));
        }

        providers.WaitForAssertion(() => Assert.Contains($"Revoked 4 grants: {tree.Root.Id} and 3 delegated", providers.Find(".mud-snackbar").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task an_agent_revocation_is_titled_with_the_agent_and_counts_grants_delegated_to_other_agents()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var tree = await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);
        var providers = RenderProviders();
        var flow = Context.Services.GetRequiredService<RevocationFlow>();

        _ = providers.InvokeAsync(() => flow.RevokeAsync(new RevocationTarget(RevocationScope.Agent, tree.Root.DeveloperId, tree.Booker.Id), "Booker"));

        providers.WaitForAssertion(() => Assert.Contains("Revoke 1 grant of agent Booker and 1 delegated grant", providers.Markup, StringComparison.Ordinal));
        Assert.Equal(2, providers.FindAll(".gx-revoke-grants tr[data-grant]").Count);
        providers.Find(".gx-cancel").Click();
    }

    [Fact]
    public async Task a_viewer_who_reaches_the_dialog_anyway_is_refused_on_confirm_and_nothing_changes()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var tree = await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);
        var providers = RenderProviders();
        var flow = Context.Services.GetRequiredService<RevocationFlow>();

        var revoking = providers.InvokeAsync(() => flow.RevokeAsync(new RevocationTarget(RevocationScope.Grant, tree.Root.DeveloperId, tree.Root.Id)));
        providers.WaitForElement(".gx-confirm").Click();

        Assert.Null(await revoking);
        Assert.Equal(GrantStatus.Active, await World.StatusAsync(tree.Root.Id));
        providers.WaitForAssertion(() => Assert.Contains("Your role (Viewer) may not revoke grants", providers.Find(".mud-snackbar").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task one_principal_under_two_developers_is_revoked_after_one_dialog_naming_both_and_others_are_untouched()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var north = await World.CreateDeveloperAsync("North");
        var south = await World.CreateDeveloperAsync("South");
        var northTree = await World.CreateTreeAsync(north.Id, "carol");
        var southAgent = await World.CreateAgentAsync(south.Id, "Teller");
        var southGrant = await World.AddGrantAsync(south.Id, southAgent.Id, "carol", null);
        var bystander = await World.AddGrantAsync(south.Id, southAgent.Id, "dave", null);
        var providers = RenderProviders();
        var flow = Context.Services.GetRequiredService<RevocationFlow>();

        var revoking = providers.InvokeAsync(() => flow.RevokePrincipalEverywhereAsync("carol"));

        providers.WaitForAssertion(() => Assert.NotEmpty(providers.FindAll(".gx-revoke-dialog")));
        Assert.Contains("Revoke 5 grants of principal carol across 2 developers", providers.Markup, StringComparison.Ordinal);
        Assert.Equal("Across North (4 grants) and South (1 grant).", Text(providers.Find(".gx-revoke-developers")));
        Assert.Equal(5, providers.FindAll(".gx-revoke-grants tr[data-grant]").Count);
        providers.Find(".gx-confirm").Click();

        Assert.Equal(5, await revoking);
        foreach (var grant in northTree.All.Append(southGrant))
        {
            Assert.Equal(GrantStatus.Revoked, await World.StatusAsync(grant.Id));
        }

        Assert.Equal(GrantStatus.Active, await World.StatusAsync(bystander.Id));
        providers.WaitForAssertion(() => Assert.Contains("Revoked 5 grants across 2 developers", providers.Find(".mud-snackbar").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task revoking_a_principal_nobody_has_granted_anything_opens_no_dialog()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        await World.CreateDeveloperAsync();
        var providers = RenderProviders();
        var flow = Context.Services.GetRequiredService<RevocationFlow>();

        Assert.Null(await providers.InvokeAsync(() => flow.RevokePrincipalEverywhereAsync("nobody")));
        Assert.Empty(providers.FindAll(".gx-revoke-dialog"));
        providers.WaitForAssertion(() => Assert.Contains("Nothing to revoke", providers.Find(".mud-snackbar").TextContent, StringComparison.Ordinal));
    }

    private IRenderedComponent<ContainerFragment> RenderProviders() => Context.Render<ContainerFragment>(p => p.AddChildContent(b =>
    {
        b.OpenComponent<MudPopoverProvider>(0);
        b.CloseComponent();
        b.OpenComponent<MudDialogProvider>(1);
        b.CloseComponent();
        b.OpenComponent<MudSnackbarProvider>(2);
        b.CloseComponent();
    }));
}
