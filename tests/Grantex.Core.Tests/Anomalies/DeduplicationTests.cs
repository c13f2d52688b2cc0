using Grantex.Core.Anomalies;
using Grantex.Core.Events;
using Grantex.Testing;

namespace Grantex.Core.Tests.Anomalies;

/// <summary>An open anomaly is updated, never duplicated; an acknowledged one is never re-opened nor deleted.</summary>
public sealed class DeduplicationTests(CoreHost host) : IClassFixture<CoreHost>
{
    private readonly AnomalyTestKit _kit = new(host);

    [Fact]
    public async Task a_pattern_that_still_holds_updates_its_open_anomaly_instead_of_adding_one()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        await _kit.LogAsync(caller, "ag_spike", 51);
        var first = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.RateSpike));

        _kit.Advance(TimeSpan.FromMinutes(1));
        await _kit.LogAsync(caller, "ag_spike", 9);
        var again = await _kit.DetectAsync(caller);

        var stored = Assert.Single(await _kit.StoredAsync(caller, AnomalyTypes.RateSpike));
        Assert.Equal(first.Id, stored.Id);
        Assert.Equal(60, AnomalyTestKit.Metadata(stored).GetProperty("count").GetInt32());
        Assert.Equal(first.DetectedAt, stored.DetectedAt);
        Assert.Equal(first.DetectedAt.AddMinutes(1), stored.UpdatedAt);
        Assert.Equal(0, again.Created);
        Assert.Equal(1, await _kit.EventCountAsync(caller, EventTypes.AnomalyDetected));
        Assert.Single(await _kit.AuditAsync(caller, "anomaly.detected"));
    }

    [Fact]
    public async Task an_acknowledged_anomaly_stays_acknowledged_and_only_new_activity_raises_a_new_one()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        await _kit.LogAsync(caller, "ag_spike", 51);
        var first = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.RateSpike));
        _kit.Advance(TimeSpan.FromMinutes(1));
        var acknowledged = CoreHost.Ok(await _kit.Anomalies.AcknowledgeAsync(caller.Developer.Id, first.Id, "console:alice", "Load test, expected"));
        Assert.Equal(("console:alice", "Load test, expected"), (acknowledged.AcknowledgedBy, acknowledged.Notes));

        // The same 51 entries are covered by the acknowledgement: nothing is re-opened, nothing new.
        Assert.Empty(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.RateSpike));

        // 50 more after it are no spike on their own; the 51st is a new anomaly beside the acknowledged one.
        _kit.Advance(TimeSpan.FromSeconds(1));
        await _kit.LogAsync(caller, "ag_spike", 50);
        Assert.Empty(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.RateSpike));
        await _kit.LogAsync(caller, "ag_spike", 1);
        var second = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.RateSpike));

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(51, AnomalyTestKit.Metadata(second).GetProperty("count").GetInt32());
        var stored = await _kit.StoredAsync(caller, AnomalyTypes.RateSpike);
        Assert.Equal(2, stored.Count);
        Assert.Equal(acknowledged.AcknowledgedAt, stored.Single(a => a.Id == first.Id).AcknowledgedAt);
        Assert.Null(stored.Single(a => a.Id == second.Id).AcknowledgedAt);
    }

    [Fact]
    public async Task acknowledging_is_audited_once_and_a_second_acknowledgement_changes_nothing()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        await _kit.LogAsync(caller, "ag_spike", 51);
        var anomaly = Assert.Single((await _kit.DetectAsync(caller)).Anomalies);

        var first = CoreHost.Ok(await _kit.Anomalies.AcknowledgeAsync(caller.Developer.Id, anomaly.Id, "api-key:key_1", null));
        _kit.Advance(TimeSpan.FromMinutes(1));
        var second = CoreHost.Ok(await _kit.Anomalies.AcknowledgeAsync(caller.Developer.Id, anomaly.Id, "api-key:key_2", "late"));

        Assert.Equal((first.AcknowledgedAt, "api-key:key_1", (string?)null), (second.AcknowledgedAt, second.AcknowledgedBy, second.Notes));
        var audit = Assert.Single(await _kit.AuditAsync(caller, "anomaly.acknowledged"));
        Assert.Equal("api-key:key_1", audit.Actor);
        Assert.Equal("ag_spike", audit.AgentId);
    }

    [Fact]
    public async Task another_developers_anomaly_cannot_be_acknowledged_and_notes_are_bounded()
    {
        _kit.MoveToNext(12);
        var owner = await host.DeveloperAsync();
        var other = await host.DeveloperAsync();
        await _kit.LogAsync(owner, "ag_spike", 51);
        var anomaly = Assert.Single((await _kit.DetectAsync(owner)).Anomalies);

        var foreign = await _kit.Anomalies.AcknowledgeAsync(other.Developer.Id, anomaly.Id, "api-key:x", null);
        Assert.Equal(("NOT_FOUND", "Anomaly not found"), (foreign.Error!.Code, foreign.Error.Message));

        var tooLong = await _kit.Anomalies.AcknowledgeAsync(owner.Developer.Id, anomaly.Id, "api-key:x", new string('n', AnomalyRules.MaxNotesLength + 1));
        Assert.Equal(["notes"], tooLong.Error!.Fields);
        Assert.All(await _kit.StoredAsync(owner), a => Assert.Null(a.AcknowledgedAt));
    }
}
