using System.Text.Json.Nodes;
using Grantex.Core.Common;
using Grantex.Core.Events;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Persistence;

/// <summary>
/// A cascade hands its revoked rows back as one aggregated string (issue #14: reading 10,000 result rows one by one
/// was half its CPU), per engine a different statement. On whichever engine the suite runs, each revoked grant's id,
/// parent and expiry must come back whole: the revocation index learns the right expiry, each tree's audit entry and
/// event name exactly its own grants, and nothing outside the target changes.
/// </summary>
public sealed class CascadeRowsTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    private static readonly DateTime Now = GrantRows.Now();

    [Fact]
    public async Task revoking_by_root_by_subtree_and_by_principal_reports_every_row_with_its_parent_and_expiry()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var dev = api.DeveloperId;
        var rows = new List<Grant>();
        Grant Add(string principal, Grant? parent, int hours, DateTime? expiresAt = null)
        {
            var grant = GrantRows.Active(dev, agent, principal, Now, expiresAt ?? Now.AddHours(hours), parent);
            rows.Add(grant);
            return grant;
        }

        // Alice: tree A (root, two children, a grandchild) and tree B (root only); Bob: tree C with a child.
        var a = Add("alice", null, 100);
        var a1 = Add("alice", a, 101);
        var a2 = Add("alice", a, 0, TimeFormat.FromUnixMillis(TimeFormat.ToUnixMillis(DateTime.UtcNow.AddHours(-1)))); // expired, still Active
        var a1x = Add("alice", a1, 103);
        var b = Add("alice", null, 110);
        var c = Add("bob", null, 120);
        var c1 = Add("bob", c, 121);
        var d = Add("dora", null, 130);
        var d1 = Add("dora", d, 131);
        var d1x = Add("dora", d1, 132);
        var writes = factory.Services.GetRequiredService<WriteQueue>();
        await writes.ExecuteAsync(async ctx =>
        {
            foreach (var row in rows)
            {
                await ctx.InsertAsync(row);
            }

            return 0;
        });

        var grants = factory.Services.GetRequiredService<GrantService>();
        var index = factory.Services.GetRequiredService<RevocationIndex>();
        const string Actor = "console:cascade-rows";

        // By root: C and its child only.
        Assert.Equal(2, Ok(await grants.RevokeAsync(new RevocationTarget(RevocationScope.Grant, dev, c.Id), Actor)));
        // A subtree (the recursive walk): D1 and its child, not D.
        Assert.Equal(2, Ok(await grants.RevokeAsync(new RevocationTarget(RevocationScope.Grant, dev, d1.Id), Actor)));
        // By principal: both of Alice's trees, audited per root (the roots are found from the returned parents).
        Assert.Equal(5, Ok(await grants.RevokeAsync(new RevocationTarget(RevocationScope.Principal, dev, "alice"), Actor)));
        // Nothing active left there: a second call revokes nothing.
        Assert.Equal(0, Ok(await grants.RevokeAsync(new RevocationTarget(RevocationScope.Principal, dev, "alice"), Actor)));

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        var stored = await db.Grants.AsNoTracking().Where(g => g.DeveloperId == dev).ToDictionaryAsync(g => g.Id);
        Grant[] revoked = [a, a1, a2, a1x, b, c, c1, d1, d1x];
        Assert.All(revoked, g => Assert.Equal(GrantStatus.Revoked, stored[g.Id].Status));
        Assert.Equal(GrantStatus.Active, stored[d.Id].Status);
        Assert.All(revoked, g => Assert.True(index.IsGrantRevoked(g.Id), g.Id));
        Assert.False(index.IsGrantRevoked(d.Id));

        // The index learned each grant's own expiry: pruning drops the one grant that had expired already, only it.
        index.Prune();
        Assert.False(index.IsGrantRevoked(a2.Id));
        Assert.All(revoked.Where(g => g != a2), g => Assert.True(index.IsGrantRevoked(g.Id), g.Id));

        // What a restarted node knows: an index loaded from the database (on PostgreSQL from grant_revocations, which
        // the cascade's own statement fills; on SQLite from the revoked grants' partial index) holds exactly the
        // revoked grants that have not expired.
        var reloaded = new RevocationIndex(factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>(), TimeProvider.System);
        await reloaded.LoadAsync();
        Assert.All(revoked.Where(g => g != a2), g => Assert.True(reloaded.IsGrantRevoked(g.Id), g.Id));
        Assert.False(reloaded.IsGrantRevoked(a2.Id));
        Assert.False(reloaded.IsGrantRevoked(d.Id));

        // The console's counts read the same place: one active grant (D) here and across developers (this class's
        // database holds only this test's grants), the nine revoked today (either side of a midnight during the call).
        var dayBefore = DateTime.UtcNow.Date;
        var mine = await grants.CountAsync(dev);
        var all = await grants.CountAsync(null);
        var dayAfter = DateTime.UtcNow.Date;
        Assert.Equal((1, 1, 10, 10), (mine.Active, all.Active, mine.Total, all.Total));
        int[] revokedToday = [revoked.Count(g => stored[g.Id].RevokedAt >= dayBefore), revoked.Count(g => stored[g.Id].RevokedAt >= dayAfter)];
        Assert.Contains(mine.RevokedToday, revokedToday);
        Assert.Contains(all.RevokedToday, revokedToday);

        // One audit entry per revoked tree, counting exactly its grants; one event per tree naming them, root first.
        var audits = await db.AuditEntries.AsNoTracking()
            .Where(e => e.DeveloperId == dev && e.Action == "grant.revoked")
            .ToListAsync();
        Assert.Equal(
            new[] { (a.Id, 4), (b.Id, 1), (c.Id, 2), (d1.Id, 2) }.OrderBy(x => x.Item1, StringComparer.Ordinal),
            audits.Select(e => (e.GrantId!, (int)JsonNode.Parse(e.MetadataJson)!["revokedGrants"]!)).OrderBy(x => x.Item1, StringComparer.Ordinal));
        var events = (await factory.Services.GetRequiredService<EventLog>().ReadAfterAsync(dev, 0, null, 100))
            .Where(e => e.Type == EventTypes.GrantRevoked)
            .Select(e => JsonNode.Parse(e.Body)!["data"]!)
            .ToDictionary(data => (string)data["grantId"]!, data => data["revokedGrantIds"]!.AsArray().Select(n => (string)n!).ToList());
        Assert.Equal(4, events.Count);
        AssertTree(events[a.Id], a, a1, a2, a1x);
        AssertTree(events[b.Id], b);
        AssertTree(events[c.Id], c, c1);
        AssertTree(events[d1.Id], d1, d1x);
    }

    private static void AssertTree(List<string> ids, Grant root, params Grant[] descendants)
    {
        Assert.Equal(root.Id, ids[0]);
        Assert.Equal(descendants.Prepend(root).Select(g => g.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    private static int Ok(Result<int> result) => result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error!.Message);
}
