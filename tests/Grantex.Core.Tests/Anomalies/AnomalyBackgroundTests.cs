using Grantex.Core.Anomalies;
using Grantex.Core.Events;
using Grantex.Core.Grants;
using Grantex.Testing;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Tests.Anomalies;

/// <summary>
/// Detection after the events that feed it, and automatic revocation (off by default, then on). This class changes
/// the host's anomaly options, so it has a host of its own.
/// </summary>
public sealed class AnomalyBackgroundTests(CoreHost host) : IClassFixture<CoreHost>
{
    private readonly AnomalyTestKit _kit = new(host);

    private AnomalyOptions Options => host.Get<IOptions<AnomalyOptions>>().Value;

    [Fact]
    public async Task automatic_revocation_is_off_by_default_and_a_high_anomaly_then_revokes_nothing()
    {
        Assert.False(new AnomalyOptions().AutoRevokeHighSeverity);
        Assert.False(Options.AutoRevokeHighSeverity);
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        var agent = await _kit.AgentAsync(caller);
        var grant = await _kit.GrantAsync(caller, agent.Id, "alice", "read");
        await _kit.LogAsync(caller, agent.Id, 51);

        var result = await _kit.DetectAsync(caller);

        Assert.Single(AnomalyTestKit.OfType(result, AnomalyTypes.RateSpike));
        Assert.Equal(0, result.AutoRevokedGrants);
        Assert.True((await host.Get<GrantTokenService>().VerifyAsync(caller, grant.GrantToken)).Valid);
        Assert.Equal(0, await _kit.EventCountAsync(caller, EventTypes.GrantRevoked));
    }

    [Fact]
    public async Task with_automatic_revocation_on_a_high_anomaly_revokes_the_agents_grants_in_cascade_audited_with_events()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        var agent = await _kit.AgentAsync(caller);
        var sub = await _kit.AgentAsync(caller);
        var bystander = await _kit.AgentAsync(caller);
        var root = await _kit.GrantAsync(caller, agent.Id, "alice", "read");
        var child = await _kit.DelegateAsync(caller, root, sub.Id);
        var other = await _kit.GrantAsync(caller, bystander.Id, "alice", "read");
        await _kit.LogAsync(caller, agent.Id, 51);

        Options.AutoRevokeHighSeverity = true;
        try
        {
            var result = await _kit.DetectAsync(caller);

            var spike = Assert.Single(AnomalyTestKit.OfType(result, AnomalyTypes.RateSpike));
            Assert.Equal(2, result.AutoRevokedGrants);
            var verify = host.Get<GrantTokenService>();
            Assert.False((await verify.VerifyAsync(caller, root.GrantToken)).Valid);
            Assert.False((await verify.VerifyAsync(caller, child.GrantToken)).Valid);
            Assert.True((await verify.VerifyAsync(caller, other.GrantToken)).Valid);
            Assert.Equal(1, await _kit.EventCountAsync(caller, EventTypes.AnomalyAutoRevoked));
            Assert.Equal(1, await _kit.EventCountAsync(caller, EventTypes.GrantRevoked));
            var audit = Assert.Single(await _kit.AuditAsync(caller, "anomaly.auto_revoked"));
            Assert.Equal(agent.Id, audit.AgentId);
            Assert.Contains(spike.Id, audit.MetadataJson, StringComparison.Ordinal);
            Assert.Equal(AnomalyRules.DetectorActor, Assert.Single(await _kit.AuditAsync(caller, "grant.revoked")).Actor);

            // The revocation's own entries do not grow the spike: a second pass changes and revokes nothing.
            var again = await _kit.DetectAsync(caller);
            Assert.Equal(0, again.AutoRevokedGrants);
            var count = AnomalyTestKit.Metadata(spike).GetProperty("count").GetInt32();
            Assert.Equal(count, AnomalyTestKit.Metadata(Assert.Single(AnomalyTestKit.OfType(again, AnomalyTypes.RateSpike))).GetProperty("count").GetInt32());
        }
        finally
        {
            Options.AutoRevokeHighSeverity = false;
        }
    }

    [Fact]
    public async Task a_committed_event_triggers_a_background_pass_that_records_the_anomaly()
    {
        _kit.MoveToNext(12);
        Options.Coalesce = TimeSpan.Zero;
        Options.BackgroundDetection = true; // off in every test host (TestSettings); this test is about it
        var detector = host.Get<AnomalyDetector>();
        await detector.StartAsync(CancellationToken.None);
        try
        {
            var caller = await host.DeveloperAsync();
            var agent = await _kit.AgentAsync(caller);

            // No detect call: grant.created (committed) wakes the detector, which finds the new pair.
            var grant = await _kit.GrantAsync(caller, agent.Id, "dave", "read");

            await Eventually.UntilAsync(async () => (await _kit.StoredAsync(caller, AnomalyTypes.NewPrincipal)).Count == 1,
                "The background detector did not record the new principal.");
            var anomaly = Assert.Single(await _kit.StoredAsync(caller, AnomalyTypes.NewPrincipal));
            Assert.Equal([grant.GrantId], anomaly.GrantIds);
            Assert.Equal(1, await _kit.EventCountAsync(caller, EventTypes.AnomalyDetected));
        }
        finally
        {
            await detector.StopAsync(CancellationToken.None);
        }
    }
}
