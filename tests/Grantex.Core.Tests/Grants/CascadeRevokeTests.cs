using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Grantex.Core.Tokens;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Tests.Grants;

public sealed class CascadeRevokeTests(CoreHost host) : IClassFixture<CoreHost>
{
    private DelegationService Delegations => host.Get<DelegationService>();

    private GrantService Grants => host.Get<GrantService>();

    [Fact]
    public async Task revoking_a_root_revokes_every_descendant_at_any_depth_and_reports_the_count()
    {
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var root = await host.GrantAsync(caller, agent, ["read", "write"]);
        var a = await DelegateAsync(caller, root, agent.Id);
        var b = await DelegateAsync(caller, root, agent.Id);
        var a1 = await DelegateAsync(caller, a, agent.Id);
        var a2 = await DelegateAsync(caller, a1, agent.Id);
        var unrelated = await host.GrantAsync(caller, agent, ["read"]);

        var revoked = CoreHost.Ok(await Grants.RevokeAsync(caller.Developer.Id, root.GrantId, caller.Actor));

        Assert.Equal(5, revoked);
        var tree = new[] { root, a, b, a1, a2 };
        await using var db = await host.DbAsync();
        var ids = tree.Select(t => t.GrantId).ToList();
        Assert.All(await db.Grants.Where(g => ids.Contains(g.Id)).ToListAsync(), g => Assert.Equal(GrantStatus.Revoked, g.Status));
        Assert.Equal(GrantStatus.Active, (await db.Grants.SingleAsync(g => g.Id == unrelated.GrantId)).Status);
        foreach (var token in tree)
        {
            var verified = await host.Get<GrantTokenService>().VerifyAsync(caller, token.GrantToken);
            Assert.False(verified.Valid);
            Assert.Equal(TokenCheck.Revoked, verified.Reason);
        }

        Assert.True((await host.Get<GrantTokenService>().VerifyAsync(caller, unrelated.GrantToken)).Valid);
        var entry = await db.AuditEntries.Where(e => e.GrantId == root.GrantId && e.Action == "grant.revoked").SingleAsync();
        Assert.Contains("\"revokedGrants\":5", entry.MetadataJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_console_counts_see_a_revoked_tree_as_revoked_for_one_developer_and_across_developers()
    {
        // Across developers "active" is unexpired minus unexpired revoked (no index holds every grant's status).
        var everyoneBefore = await Grants.CountAsync(null);
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var root = await host.GrantAsync(caller, agent, ["read"]);
        await DelegateAsync(caller, root, agent.Id);
        await host.GrantAsync(caller, agent, ["read"]);

        CoreHost.Ok(await Grants.RevokeAsync(caller.Developer.Id, root.GrantId, caller.Actor));

        Assert.Equal(new GrantCounts(1, 2, 3), await Grants.CountAsync(caller.Developer.Id));
        var everyone = await Grants.CountAsync(null);
        Assert.Equal(everyoneBefore.Active + 1, everyone.Active);
        Assert.Equal(everyoneBefore.RevokedToday + 2, everyone.RevokedToday);
        Assert.Equal(everyoneBefore.Total + 3, everyone.Total);
    }

    [Fact]
    public async Task revoking_a_middle_grant_leaves_its_parent_and_siblings_active()
    {
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var root = await host.GrantAsync(caller, agent, ["read"]);
        var a = await DelegateAsync(caller, root, agent.Id);
        var b = await DelegateAsync(caller, root, agent.Id);
        var a1 = await DelegateAsync(caller, a, agent.Id);

        Assert.Equal(2, CoreHost.Ok(await Grants.RevokeAsync(caller.Developer.Id, a.GrantId, caller.Actor)));

        await using var db = await host.DbAsync();
        var status = await db.Grants.Where(g => g.RootGrantId == root.GrantId).ToDictionaryAsync(g => g.Id, g => g.Status);
        Assert.Equal(GrantStatus.Active, status[root.GrantId]);
        Assert.Equal(GrantStatus.Active, status[b.GrantId]);
        Assert.Equal(GrantStatus.Revoked, status[a.GrantId]);
        Assert.Equal(GrantStatus.Revoked, status[a1.GrantId]);
    }

    [Fact]
    public async Task revoking_twice_or_another_developers_grant_is_not_found_and_changes_nothing()
    {
        var caller = await host.DeveloperAsync();
        var stranger = await host.DeveloperAsync();
        var root = await host.GrantAsync(caller, await host.AgentAsync(caller), ["read"]);

        var foreign = await Grants.RevokeAsync(stranger.Developer.Id, root.GrantId, stranger.Actor);
        Assert.False(foreign.IsSuccess);
        Assert.True((await host.Get<GrantTokenService>().VerifyAsync(caller, root.GrantToken)).Valid);

        CoreHost.Ok(await Grants.RevokeAsync(caller.Developer.Id, root.GrantId, caller.Actor));
        var again = await Grants.RevokeAsync(caller.Developer.Id, root.GrantId, caller.Actor);
        Assert.False(again.IsSuccess);
        Assert.Equal(GxErrorKind.NotFound, again.Error.Kind);
    }

    [Fact]
    public async Task revoke_racing_delegate_never_leaves_an_active_child_under_a_revoked_parent()
    {
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var outcomes = new List<bool>();

        for (var round = 0; round < 20; round++)
        {
            var parent = await host.GrantAsync(caller, agent, ["read"]);
            var delegations = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
                Delegations.DelegateAsync(caller, new DelegateInput(parent.GrantToken, agent.Id, ["read"], "1h")))).ToList();
            var revoke = Task.Run(() => Grants.RevokeAsync(caller.Developer.Id, parent.GrantId, caller.Actor));

            var children = await Task.WhenAll(delegations);
            var revoked = await revoke;

            Assert.True(revoked.IsSuccess);
            outcomes.AddRange(children.Select(c => c.IsSuccess));
            foreach (var child in children.Where(c => c.IsSuccess).Select(c => c.Value!))
            {
                Assert.False((await host.Get<GrantTokenService>().VerifyAsync(caller, child.GrantToken)).Valid);
            }
        }

        await using var db = await host.DbAsync();
        var orphans = await db.Grants
            .Where(c => c.DeveloperId == caller.Developer.Id && c.Status == GrantStatus.Active && c.ParentGrantId != null)
            .Where(c => db.Grants.Any(p => p.Id == c.ParentGrantId && p.Status == GrantStatus.Revoked))
            .CountAsync();
        Assert.Equal(0, orphans);
        Assert.Equal(80, outcomes.Count);
        var verification = await host.Get<AuditService>().VerifyChainAsync(caller.Developer.Id);
        Assert.True(verification.Valid, verification.Detail);
    }

    [Fact]
    public async Task a_delegation_that_passed_its_checks_before_a_queued_revoke_committed_is_refused_inside_the_write()
    {
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var parent = await host.GrantAsync(caller, agent, ["read"]);

        // Hold the writer so the revoke is queued but not committed: the delegation's pre-check still sees the parent
        // as active, and only the re-check inside its own write command can refuse it.
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var gate = host.Get<WriteQueue>().ExecuteAsync(async _ =>
        {
            started.SetResult();
            await release.Task;
            return 0;
        });
        await started.Task;
        var revoke = Grants.RevokeAsync(caller.Developer.Id, parent.GrantId, caller.Actor);
        var delegation = Delegations.DelegateAsync(caller, new DelegateInput(parent.GrantToken, agent.Id, ["read"], "1h"));
        release.SetResult();
        await gate;

        Assert.Equal(1, CoreHost.Ok(await revoke));
        var result = await delegation;
        Assert.False(result.IsSuccess);
        Assert.Equal("Parent grant has been revoked", result.Error.Message);
        await using var db = await host.DbAsync();
        Assert.False(await db.Grants.AnyAsync(g => g.ParentGrantId == parent.GrantId));
    }

    private async Task<IssuedGrantToken> DelegateAsync(ApiKeyCaller caller, IssuedGrantToken parent, string agentId) =>
        CoreHost.Ok(await Delegations.DelegateAsync(caller, new DelegateInput(parent.GrantToken, agentId, ["read"], "1h")));
}
