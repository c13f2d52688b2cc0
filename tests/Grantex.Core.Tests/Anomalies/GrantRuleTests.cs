using Grantex.Core.Anomalies;
using Grantex.Testing;

namespace Grantex.Core.Tests.Anomalies;

/// <summary>new_principal (the pair rule), unusual_scope_access (its lookback) and cascade_delegation (width and depth).</summary>
public sealed class GrantRuleTests(CoreHost host) : IClassFixture<CoreHost>
{
    private readonly AnomalyTestKit _kit = new(host);

    [Fact]
    public async Task the_first_grant_of_an_agent_principal_pair_is_a_new_principal_and_later_grants_of_the_pair_are_not()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        var agent = await _kit.AgentAsync(caller);
        var old = await _kit.AgentAsync(caller);
        await _kit.GrantAsync(caller, old.Id, "alice", "read");
        _kit.Advance(TimeSpan.FromDays(2));

        await _kit.GrantAsync(caller, old.Id, "alice", "read");                  // the pair is two days old
        var first = await _kit.GrantAsync(caller, agent.Id, "alice", "read");    // new pair
        _kit.Advance(TimeSpan.FromMinutes(5));
        await _kit.GrantAsync(caller, agent.Id, "alice", "read");                // same pair again
        var bob = await _kit.GrantAsync(caller, agent.Id, "bob", "read");        // another new pair

        var found = AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.NewPrincipal).OrderBy(a => a.PrincipalId).ToList();

        Assert.Equal(2, found.Count);
        Assert.Equal(("alice", first.GrantId), (found[0].PrincipalId, found[0].GrantIds.Single()));
        Assert.Equal(("bob", bob.GrantId), (found[1].PrincipalId, found[1].GrantIds.Single()));
        Assert.All(found, a => Assert.Equal((agent.Id, AnomalySeverities.Low), (a.AgentId, a.Severity)));
        Assert.Equal(24, AnomalyTestKit.Metadata(found[0]).GetProperty("windowHours").GetInt32());
    }

    [Fact]
    public async Task a_new_principal_is_no_longer_new_after_24_hours()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        var agent = await _kit.AgentAsync(caller);
        await _kit.GrantAsync(caller, agent.Id, "carol", "read");
        _kit.Advance(TimeSpan.FromHours(24));

        Assert.Empty(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.NewPrincipal));
    }

    [Fact]
    public async Task a_scope_the_agent_was_not_granted_in_the_previous_30_days_is_unusual()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        var agent = await _kit.AgentAsync(caller);
        var newcomer = await _kit.AgentAsync(caller);
        await _kit.GrantAsync(caller, agent.Id, "alice", "read");
        _kit.Advance(TimeSpan.FromDays(2));

        var wider = await _kit.GrantAsync(caller, agent.Id, "alice", "read", "payments:initiate");
        await _kit.GrantAsync(caller, newcomer.Id, "alice", "payments:initiate"); // a first grant has nothing to compare with

        var unusual = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.UnusualScopeAccess));
        Assert.Equal(agent.Id, unusual.AgentId);
        Assert.Equal(AnomalySeverities.Medium, unusual.Severity);
        Assert.Equal(["payments:initiate"], AnomalyTestKit.Metadata(unusual).GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal([wider.GrantId], unusual.GrantIds);
    }

    [Fact]
    public async Task a_scope_granted_exactly_30_days_before_is_usual_and_a_millisecond_more_makes_it_unusual()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        var within = await _kit.AgentAsync(caller);
        var beyond = await _kit.AgentAsync(caller);
        await _kit.GrantAsync(caller, within.Id, "alice", "read", "admin");
        _kit.Advance(TimeSpan.FromMilliseconds(1));
        await _kit.GrantAsync(caller, beyond.Id, "alice", "read", "admin");
        _kit.Advance(TimeSpan.FromDays(1));
        await _kit.GrantAsync(caller, within.Id, "alice", "read");
        await _kit.GrantAsync(caller, beyond.Id, "alice", "read");

        _kit.Advance(TimeSpan.FromDays(29) - TimeSpan.FromMilliseconds(1));
        await _kit.GrantAsync(caller, within.Id, "alice", "admin");  // exactly 30 d after `within`'s admin grant: inside the lookback
        _kit.Advance(TimeSpan.FromMilliseconds(2));
        await _kit.GrantAsync(caller, beyond.Id, "alice", "admin");  // 30 d + 1 ms after `beyond`'s admin grant: outside

        var unusual = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.UnusualScopeAccess));
        Assert.Equal(beyond.Id, unusual.AgentId);
    }

    [Fact]
    public async Task more_than_ten_delegations_in_a_tree_within_an_hour_is_a_high_cascade()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        var agent = await _kit.AgentAsync(caller);
        var sub = await _kit.AgentAsync(caller);
        var root = await _kit.GrantAsync(caller, agent.Id, "alice", "read");
        for (var i = 0; i < 10; i++)
        {
            await _kit.DelegateAsync(caller, root, sub.Id);
        }

        Assert.Empty(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.CascadeDelegation));

        await _kit.DelegateAsync(caller, root, sub.Id);
        var cascade = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.CascadeDelegation));
        Assert.Equal(AnomalySeverities.High, cascade.Severity);
        Assert.Equal((agent.Id, "alice"), (cascade.AgentId, cascade.PrincipalId));
        Assert.Equal(root.GrantId, cascade.GrantIds[0]);
        var metadata = AnomalyTestKit.Metadata(cascade);
        Assert.Equal(11, metadata.GetProperty("delegatedGrants").GetInt32());
        Assert.Equal(root.GrantId, metadata.GetProperty("rootGrantId").GetString());
    }

    [Fact]
    public async Task a_chain_reaching_the_depth_limit_within_an_hour_is_a_medium_cascade()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        var agent = await _kit.AgentAsync(caller);
        var sub = await _kit.AgentAsync(caller);
        var root = await _kit.GrantAsync(caller, agent.Id, "alice", "read");
        var depth1 = await _kit.DelegateAsync(caller, root, sub.Id);
        var depth2 = await _kit.DelegateAsync(caller, depth1, sub.Id);

        Assert.Empty(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.CascadeDelegation));

        await _kit.DelegateAsync(caller, depth2, sub.Id); // depth 3: the default limit
        var cascade = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.CascadeDelegation));
        Assert.Equal(AnomalySeverities.Medium, cascade.Severity);
        Assert.Equal(3, AnomalyTestKit.Metadata(cascade).GetProperty("maxDepth").GetInt32());
        Assert.Equal(3, AnomalyTestKit.Metadata(cascade).GetProperty("depthLimit").GetInt32());

        // An hour later the tree has not grown: nothing new is found.
        _kit.Advance(TimeSpan.FromHours(1));
        Assert.Empty(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.CascadeDelegation));
    }
}
