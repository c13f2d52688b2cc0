using Bunit;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Grants;

namespace Grantex.Console.Tests.Console;

public sealed class DelegationTreeTests : ConsoleComponentTest
{
    [Fact]
    public async Task the_whole_tree_is_drawn_from_the_root_with_agent_depth_scopes_and_status_on_every_node()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var tree = await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);

        var page = Context.Render<DelegationTreePage>(p => p.Add(x => x.GrantId, tree.Grandchild.Id));

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".gx-tree-node").Count));
        var nodes = page.FindAll(".gx-tree-node");
        Assert.Equal(tree.Root.Id, nodes[0].GetAttribute("data-grant"));
        Assert.Contains("Planner", nodes[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("depth 0", nodes[0].TextContent, StringComparison.Ordinal);
        var grandchild = page.Find($".gx-tree-node[data-grant={tree.Grandchild.Id}]");
        Assert.Contains("Mailer", grandchild.TextContent, StringComparison.Ordinal);
        Assert.Contains("depth 2", grandchild.TextContent, StringComparison.Ordinal);
        Assert.Contains("calendar:read", grandchild.TextContent, StringComparison.Ordinal);
        Assert.All(nodes, n => Assert.Equal("active", n.GetAttribute("data-status")));
        Assert.Contains("4 grants · deepest delegation 2", Text(page.Find("[data-testid=tree-summary]")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task selecting_a_node_lists_the_grants_and_tokens_revoking_it_would_cut_off_before_anything_happens()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var tree = await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);
        var page = Context.Render<DelegationTreePage>(p => p.Add(x => x.GrantId, tree.Root.Id));
        page.WaitForAssertion(() => Assert.Equal("4 grants would be revoked", Text(page.Find("[data-testid=preview-grants]"))));

        Assert.Equal(4, page.FindAll(".gx-dtree-cut").Count);
        page.Find($".gx-tree-node[data-grant={tree.Child.Id}]").Click();

        page.WaitForAssertion(() => Assert.Equal("2 grants would be revoked", Text(page.Find("[data-testid=preview-grants]"))));
        // The drawing outlines exactly what the revocation cuts off: the child and its own child, not the root or the sibling.
        Assert.Equal([tree.Child.Id, tree.Grandchild.Id], page.FindAll(".gx-dtree-cut").Select(n => n.GetAttribute("data-grant")));
        Assert.Equal("true", page.Find($".gx-tree-node[data-grant={tree.Child.Id}]").GetAttribute("aria-pressed"));
        Assert.Equal("2 grants outlined in red would be cut off.", Text(page.Find("[data-testid=tree-cut-summary]")));
        var radius = page.Find("[data-testid=blast-radius]");
        Assert.NotNull(radius.QuerySelector($"[data-grant={tree.Child.Id}]"));
        Assert.NotNull(radius.QuerySelector($"[data-grant={tree.Grandchild.Id}]"));
        Assert.Null(radius.QuerySelector($"[data-grant={tree.Root.Id}]"));
        Assert.Equal("2 grant tokens would stop verifying, 2 refresh tokens would stop working", Text(page.Find("[data-testid=preview-tokens]")));
        Assert.Equal("Revoke 2 grants…", page.Find("[data-testid=revoke-selected]").TextContent.Trim());
        Assert.All(tree.All, g => Assert.Equal(Grantex.Core.Grants.GrantStatus.Active, World.StatusAsync(g.Id).Result));
    }

    [Fact]
    public async Task a_viewer_sees_the_blast_radius_but_no_revoke_button()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var tree = await World.CreateTreeAsync((await World.CreateDeveloperAsync()).Id);

        var page = Context.Render<DelegationTreePage>(p => p.Add(x => x.GrantId, tree.Root.Id));

        page.WaitForAssertion(() => Assert.Equal("4 grants would be revoked", Text(page.Find("[data-testid=preview-grants]"))));
        Assert.Empty(page.FindAll("[data-testid=revoke-selected]"));
        Assert.Contains("Revoking is for administrators", page.Find("[data-testid=revoke-not-allowed]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("If you revoke", page.Find("[data-testid=blast-radius]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unknown_grant_says_so_instead_of_an_empty_tree()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);

        var page = Context.Render<DelegationTreePage>(p => p.Add(x => x.GrantId, "grnt_nope"));

        page.WaitForAssertion(() => Assert.Contains("There is no grant grnt_nope.", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll(".gx-tree-node"));
    }
}
