using Grantex.Core.Anomalies;
using Grantex.Testing;

namespace Grantex.Core.Tests.Anomalies;

/// <summary>rate_spike, high_failure_rate and off_hours_activity: thresholds exactly at and just over, and their windows.</summary>
public sealed class AuditActivityRuleTests(CoreHost host) : IClassFixture<CoreHost>
{
    private readonly AnomalyTestKit _kit = new(host);

    [Fact]
    public async Task fifty_entries_in_an_hour_are_no_spike_and_fifty_one_are_a_high_rate_spike()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        await _kit.LogAsync(caller, "ag_busy", 50);

        Assert.Empty(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.RateSpike));

        await _kit.LogAsync(caller, "ag_busy", 1);
        var spike = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.RateSpike));
        Assert.Equal(AnomalySeverities.High, spike.Severity);
        Assert.Equal("ag_busy", spike.AgentId);
        Assert.Null(spike.PrincipalId);
        var metadata = AnomalyTestKit.Metadata(spike);
        Assert.Equal(51, metadata.GetProperty("count").GetInt32());
        Assert.Equal(1, metadata.GetProperty("windowHours").GetInt32());
        Assert.Equal(50, metadata.GetProperty("threshold").GetInt32());
    }

    [Fact]
    public async Task entries_an_hour_old_or_more_do_not_count_towards_a_spike()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        await _kit.LogAsync(caller, "ag_steady", 30);
        _kit.Advance(TimeSpan.FromHours(1));
        await _kit.LogAsync(caller, "ag_steady", 30);

        // The first 30 are exactly an hour old: the window (now - 1 h, now] leaves them out.
        Assert.Empty(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.RateSpike));
    }

    [Fact]
    public async Task the_detectors_own_entries_never_feed_a_spike()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        await _kit.LogAsync(caller, "ag_loop", 51);
        var first = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.RateSpike));

        // Detecting again and again adds anomaly.detected entries for the agent but never changes its count.
        for (var i = 0; i < 3; i++)
        {
            var again = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.RateSpike));
            Assert.Equal(first.Id, again.Id);
            Assert.Equal(51, AnomalyTestKit.Metadata(again).GetProperty("count").GetInt32());
        }

        Assert.Single(await _kit.AuditAsync(caller, "anomaly.detected"), e => e.AgentId == "ag_loop");
    }

    [Fact]
    public async Task a_failure_rate_of_exactly_twenty_percent_is_normal_and_just_over_is_medium()
    {
        _kit.MoveToNext(12);
        var caller = await host.DeveloperAsync();
        await _kit.LogAsync(caller, "ag_at", 4);
        await _kit.LogAsync(caller, "ag_at", 1, "failure");
        await _kit.LogAsync(caller, "ag_over", 7);
        await _kit.LogAsync(caller, "ag_over", 2, "blocked");
        await _kit.LogAsync(caller, "ag_few", 4, "failure");

        var found = AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.HighFailureRate).ToList();

        var over = Assert.Single(found);
        Assert.Equal("ag_over", over.AgentId);
        Assert.Equal(AnomalySeverities.Medium, over.Severity);
        var metadata = AnomalyTestKit.Metadata(over);
        Assert.Equal(2, metadata.GetProperty("badCount").GetInt32());
        Assert.Equal(9, metadata.GetProperty("totalCount").GetInt32());
        Assert.Equal(22.2, metadata.GetProperty("percentFailure").GetDouble());
        Assert.Equal(0.2, metadata.GetProperty("threshold").GetDouble());
        Assert.Equal(24, metadata.GetProperty("windowHours").GetInt32());
    }

    [Fact]
    public async Task off_hours_run_from_22_to_06_utc_across_midnight_and_more_than_ten_entries_are_low()
    {
        _kit.MoveToNext(21, 59);
        var caller = await host.DeveloperAsync();
        _kit.Advance(TimeSpan.FromSeconds(59.999));
        await _kit.LogAsync(caller, "ag_night", 1);   // 21:59:59.999: daytime
        await _kit.LogAsync(caller, "ag_edge", 1);
        _kit.Advance(TimeSpan.FromMilliseconds(1));
        await _kit.LogAsync(caller, "ag_night", 4);   // 22:00:00.000: off hours
        await _kit.LogAsync(caller, "ag_edge", 4);
        _kit.Advance(TimeSpan.FromHours(2.5));
        await _kit.LogAsync(caller, "ag_night", 3);   // 00:30 the next day
        await _kit.LogAsync(caller, "ag_edge", 3);
        _kit.Advance(TimeSpan.FromHours(5.5) - TimeSpan.FromMilliseconds(1));
        await _kit.LogAsync(caller, "ag_night", 4);   // 05:59:59.999: still off hours
        await _kit.LogAsync(caller, "ag_edge", 3);
        _kit.Advance(TimeSpan.FromMilliseconds(1));
        await _kit.LogAsync(caller, "ag_night", 2);   // 06:00: daytime again
        await _kit.LogAsync(caller, "ag_edge", 2);
        _kit.Advance(TimeSpan.FromHours(1));

        var night = Assert.Single(AnomalyTestKit.OfType(await _kit.DetectAsync(caller), AnomalyTypes.OffHoursActivity));

        Assert.Equal("ag_night", night.AgentId); // 11 off-hours entries; ag_edge has exactly 10
        Assert.Equal(AnomalySeverities.Low, night.Severity);
        Assert.Equal(11, AnomalyTestKit.Metadata(night).GetProperty("count").GetInt32());
        Assert.Equal(10, AnomalyTestKit.Metadata(night).GetProperty("threshold").GetInt32());
    }

    [Fact]
    public void off_hours_ranges_are_clipped_to_the_window_and_cross_midnight()
    {
        var now = new DateTime(2026, 3, 5, 7, 0, 0, DateTimeKind.Utc);
        var ranges = AuditActivityRules.OffHours(now.AddHours(-24), now);

        // (03-04 07:00, 03-05 07:00] holds one stretch: 03-04 22:00 to 03-05 06:00.
        var (from, to) = Assert.Single(ranges);
        Assert.Equal(new DateTime(2026, 3, 4, 21, 59, 59, 999, DateTimeKind.Utc), from);
        Assert.Equal(new DateTime(2026, 3, 5, 5, 59, 59, 999, DateTimeKind.Utc), to);

        var atMidnight = AuditActivityRules.OffHours(new DateTime(2026, 3, 4, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(2, atMidnight.Count); // 00:00–06:00 and 22:00–24:00
    }
}
