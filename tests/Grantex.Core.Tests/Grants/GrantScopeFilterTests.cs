using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Tests.Grants;

/// <summary>
/// The scope filter of the grant lists reads the grant_scopes index table the database fills on every grant insert:
/// it must list exactly the grants whose scope array holds the scope, newest first, page by page.
/// </summary>
public sealed class GrantScopeFilterTests(CoreHost host) : IClassFixture<CoreHost>
{
    [Fact]
    public async Task every_inserted_grant_has_one_index_row_per_scope()
    {
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var grant = await host.GrantAsync(caller, agent, ["read", "write", "files:read"]);

        await using var db = await host.DbAsync();
        var rows = await db.Set<GrantScope>().Where(s => s.GrantId == grant.GrantId).OrderBy(s => s.Scope).ToListAsync();
        var stored = await db.Grants.SingleAsync(g => g.Id == grant.GrantId);
        Assert.Equal(["files:read", "read", "write"], rows.Select(r => r.Scope));
        Assert.All(rows, r => Assert.Equal((caller.Developer.Id, stored.IssuedAt), (r.DeveloperId, r.IssuedAt)));
    }

    [Fact]
    public async Task the_scope_filter_lists_exactly_the_grants_holding_the_scope_newest_first_across_pages()
    {
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var other = await host.DeveloperAsync();
        var otherAgent = await host.AgentAsync(other);
        List<string> expected = [];
        for (var i = 0; i < 7; i++)
        {
            var scopes = i % 3 == 0 ? new[] { "read", "rare:scope" } : ["read"];
            var grant = await host.GrantAsync(caller, agent, scopes);
            if (i % 3 == 0)
            {
                expected.Add(grant.GrantId);
            }
        }

        await host.GrantAsync(other, otherAgent, ["rare:scope"]); // another developer's: never in this developer's list

        var grants = host.Get<GrantService>();
        List<string> listed = [];
        Cursor? after = null;
        do
        {
            var page = CoreHost.Ok(await grants.ListAsync(caller.Developer.Id, new GrantFilter(Scope: "rare:scope"), after, 2));
            listed.AddRange(page.Items.Select(g => g.Id));
            after = page.NextCursor is { } next && Cursor.TryDecode(next, out var c) ? c : null;
        }
        while (after is not null);

        await using var db = await host.DbAsync();
        var reference = (await db.Grants.AsNoTracking().Where(g => g.DeveloperId == caller.Developer.Id).ToListAsync())
            .Where(g => g.Scopes.Contains("rare:scope")).OrderByDescending(g => g.IssuedAt).ThenByDescending(g => g.Id, StringComparer.Ordinal).Select(g => g.Id);
        Assert.Equal(reference, listed);
        Assert.Equal(expected.Order(), listed.Order());

        // Combined with a status filter, and across developers (the console's operator list).
        var first = expected[0];
        CoreHost.Ok(await grants.RevokeAsync(caller.Developer.Id, first, caller.Actor));
        var active = CoreHost.Ok(await grants.ListAsync(caller.Developer.Id, new GrantFilter(Status: "active", Scope: "rare:scope"), null, 50));
        Assert.Equal(listed.Where(id => id != first), active.Items.Select(g => g.Id));
        var across = CoreHost.Ok(await grants.ListAcrossAsync(null, new GrantFilter(Scope: "rare:scope"), null, 500));
        Assert.Superset(listed.Append((await db.Grants.SingleAsync(g => g.DeveloperId == other.Developer.Id)).Id).ToHashSet(), across.Items.Select(g => g.Id).ToHashSet());
        Assert.Empty(CoreHost.Ok(await grants.ListAsync(caller.Developer.Id, new GrantFilter(Scope: "no:such"), null, 10)).Items);
    }
}
