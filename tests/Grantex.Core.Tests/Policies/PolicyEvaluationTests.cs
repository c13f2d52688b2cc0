using Grantex.Core.Policies;

namespace Grantex.Core.Tests.Policies;

public sealed class PolicyEvaluationTests
{
    private static readonly DateTime Created = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static int _next;

    [Fact]
    public void a_matching_deny_beats_a_higher_priority_allow()
    {
        var allow = P(PolicyEffect.Allow, priority: 1000);
        var deny = P(PolicyEffect.Deny, priority: -1000, scopes: ["write"]);

        var decision = PolicyEvaluator.Evaluate([allow, deny], At("12:00", "write"));

        Assert.Same(deny, decision.Policy);
        Assert.True(decision.IsDenied);
        Assert.Contains(allow.Id, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void among_denies_and_among_allows_the_highest_priority_then_the_oldest_decides()
    {
        var older = P(PolicyEffect.Allow, priority: 5, created: Created);
        var newer = P(PolicyEffect.Allow, priority: 5, created: Created.AddMinutes(1));
        var lower = P(PolicyEffect.Allow, priority: 4);

        Assert.Same(older, PolicyEvaluator.Evaluate([lower, newer, older], At("12:00", "read")).Policy);

        var denyLow = P(PolicyEffect.Deny, priority: 1);
        var denyHigh = P(PolicyEffect.Deny, priority: 2);
        Assert.Same(denyHigh, PolicyEvaluator.Evaluate([denyLow, older, denyHigh], At("12:00", "read")).Policy);
    }

    [Fact]
    public void no_match_decides_nothing_so_the_consent_screen_does()
    {
        var other = P(PolicyEffect.Allow, agent: "ag_other");
        var decision = PolicyEvaluator.Evaluate([other], At("12:00", "read"));

        Assert.Null(decision.Policy);
        Assert.Null(decision.Effect);
        Assert.False(decision.IsDenied || decision.IsAllowed);
        Assert.Equal(1, decision.Considered);
        Assert.Null(PolicyEvaluator.Evaluate([], At("12:00", "read")).Policy);
    }

    [Fact]
    public void an_allow_needs_every_requested_scope_listed_and_a_deny_any_one()
    {
        var allow = P(PolicyEffect.Allow, scopes: ["read", "write"]);
        Assert.Same(allow, PolicyEvaluator.Evaluate([allow], At("12:00", "read")).Policy);
        Assert.Null(PolicyEvaluator.Evaluate([allow], At("12:00", "read", "admin")).Policy);

        var deny = P(PolicyEffect.Deny, scopes: ["admin"]);
        Assert.Same(deny, PolicyEvaluator.Evaluate([deny], At("12:00", "read", "admin")).Policy);
        Assert.Null(PolicyEvaluator.Evaluate([deny], At("12:00", "read")).Policy);
    }

    [Fact]
    public void agent_and_principal_conditions_compare_exactly()
    {
        var policy = P(PolicyEffect.Deny, agent: "ag_1", principal: "alice");

        Assert.True(PolicyEvaluator.Matches(policy, new PolicyRequest("ag_1", "alice", ["read"], Utc("12:00"))));
        Assert.False(PolicyEvaluator.Matches(policy, new PolicyRequest("ag_1", "Alice", ["read"], Utc("12:00"))));
        Assert.False(PolicyEvaluator.Matches(policy, new PolicyRequest("ag_2", "alice", ["read"], Utc("12:00"))));
    }

    [Theory]
    [InlineData("21:59", false)]
    [InlineData("22:00", true)]
    [InlineData("23:59", true)]
    [InlineData("00:00", true)]
    [InlineData("05:59", true)]
    [InlineData("06:00", false)]
    [InlineData("12:00", false)]
    public void a_window_whose_end_is_before_its_start_crosses_midnight(string time, bool inside)
    {
        var nights = P(PolicyEffect.Deny, start: "22:00", end: "06:00");

        Assert.Equal(inside, PolicyEvaluator.Matches(nights, At(time, "read")));
    }

    [Theory]
    [InlineData("08:59", false)]
    [InlineData("09:00", true)]
    [InlineData("16:59", true)]
    [InlineData("17:00", false)]
    public void a_daytime_window_includes_its_start_and_excludes_its_end(string time, bool inside)
    {
        var office = P(PolicyEffect.Allow, start: "09:00", end: "17:00");

        Assert.Equal(inside, PolicyEvaluator.Matches(office, At(time, "read")));
    }

    [Fact]
    public void a_window_in_a_time_zone_is_read_in_local_time_including_daylight_saving()
    {
        var office = P(PolicyEffect.Allow, start: "09:00", end: "17:00", zone: "Europe/Paris");

        // Winter: Paris is UTC+1, so 08:30 UTC is 09:30 there and 16:30 UTC is 17:30.
        Assert.True(PolicyEvaluator.Matches(office, new PolicyRequest("ag_1", "alice", ["read"], new DateTime(2026, 1, 15, 8, 30, 0, DateTimeKind.Utc))));
        Assert.False(PolicyEvaluator.Matches(office, new PolicyRequest("ag_1", "alice", ["read"], new DateTime(2026, 1, 15, 16, 30, 0, DateTimeKind.Utc))));
        // Summer: UTC+2, so 07:30 UTC is 09:30 there, and 15:30 UTC is 17:30.
        Assert.True(PolicyEvaluator.Matches(office, new PolicyRequest("ag_1", "alice", ["read"], new DateTime(2026, 7, 15, 7, 30, 0, DateTimeKind.Utc))));
        Assert.False(PolicyEvaluator.Matches(office, new PolicyRequest("ag_1", "alice", ["read"], new DateTime(2026, 7, 15, 15, 30, 0, DateTimeKind.Utc))));
    }

    [Fact]
    public void a_night_window_in_a_zone_west_of_utc_crosses_the_utc_day()
    {
        var nights = P(PolicyEffect.Deny, start: "22:00", end: "06:00", zone: "America/New_York");

        // 03:30 UTC on 15 January is 22:30 the day before in New York (UTC-5): inside.
        Assert.True(PolicyEvaluator.Matches(nights, new PolicyRequest("ag_1", "alice", ["read"], new DateTime(2026, 1, 15, 3, 30, 0, DateTimeKind.Utc))));
        // 12:00 UTC is 07:00 in New York: outside.
        Assert.False(PolicyEvaluator.Matches(nights, new PolicyRequest("ag_1", "alice", ["read"], new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc))));
    }

    [Theory]
    [InlineData("00:00", true)]
    [InlineData("23:59", true)]
    [InlineData("24:00", false)]
    [InlineData("9:00", false)]
    [InlineData("09:0", false)]
    [InlineData("09-00", false)]
    [InlineData("０９:００", false)]
    [InlineData("12:60", false)]
    public void times_of_day_are_two_digit_hours_and_minutes(string text, bool valid)
    {
        Assert.Equal(valid, PolicyRules.TryMinutes(text, out _));
    }

    [Theory]
    [InlineData("Europe/Paris", true)]
    [InlineData("UTC", true)]
    [InlineData("Mars/Olympus_Mons", false)]
    [InlineData("Europe/Paris ", false)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("", false)]
    public void time_zones_are_looked_up_by_iana_id(string id, bool found)
    {
        Assert.Equal(found, PolicyRules.FindZone(id) is not null);
    }

    private static Policy P(PolicyEffect effect, int priority = 0, string? agent = null, string? principal = null, List<string>? scopes = null,
        string? start = null, string? end = null, string? zone = null, DateTime? created = null) => new()
    {
        Id = $"pol_{Interlocked.Increment(ref _next):D26}",
        DeveloperId = "dev_1",
        Name = $"{effect} {priority}",
        Effect = effect,
        Priority = priority,
        AgentId = agent,
        PrincipalId = principal,
        Scopes = scopes,
        TimeOfDayStart = start,
        TimeOfDayEnd = end,
        TimeZone = zone,
        CreatedAt = created ?? Created,
        UpdatedAt = created ?? Created,
    };

    private static PolicyRequest At(string time, params string[] scopes) => new("ag_1", "alice", scopes, Utc(time));

    private static DateTime Utc(string time) => new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc).Add(TimeSpan.Parse(time, System.Globalization.CultureInfo.InvariantCulture));
}
