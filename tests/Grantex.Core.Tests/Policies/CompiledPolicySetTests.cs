using Grantex.Core.Policies;

namespace Grantex.Core.Tests.Policies;

/// <summary>
/// The compiled index decides exactly as the reference evaluator (<see cref="PolicyEvaluator"/>) on random policy sets
/// and requests — ties in priority and creation time, wildcards, overlapping scopes, windows across midnight, time zones
/// and a zone the system no longer knows. Fixed seeds, so a failure reproduces.
/// </summary>
public sealed class CompiledPolicySetTests
{
    private static readonly string[] Agents = ["ag_1", "ag_2", "ag_3"];
    private static readonly string[] Principals = ["alice", "bob"];
    private static readonly string[] Scopes = ["read", "write", "email:send", "admin", "files:read"];
    private static readonly string?[] Zones = [null, null, "Europe/Paris", "America/New_York", "Asia/Kolkata", "Mars/Olympus_Mons"];
    private static readonly DateTime Created = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void the_index_decides_like_the_reference_evaluator_on_random_sets(int seed)
    {
        var random = new Random(seed);
        for (var set = 0; set < 40; set++)
        {
            var policies = Enumerable.Range(0, random.Next(0, 60)).Select(i => RandomPolicy(random, i)).ToList();
            var compiled = CompiledPolicySet.Compile(policies);
            for (var r = 0; r < 50; r++)
            {
                var request = RandomRequest(random);

                var expected = PolicyEvaluator.Evaluate(Shuffled(random, policies), request);
                var actual = compiled.Evaluate(request);

                Assert.True(expected.Policy?.Id == actual.Policy?.Id, $"seed {seed}, set {set}, request {r} {Show(request)}: expected {Show(expected.Policy)}, got {Show(actual.Policy)}");
                Assert.Equal(expected.Reason, actual.Reason);
                Assert.Equal(expected.Considered, actual.Considered);
            }
        }
    }

    [Fact]
    public void a_window_in_a_zone_the_system_no_longer_knows_never_matches_even_across_midnight()
    {
        var deny = P(PolicyEffect.Deny, 0);
        deny.TimeOfDayStart = "22:00";
        deny.TimeOfDayEnd = "06:00";
        deny.TimeZone = "Mars/Olympus_Mons";
        var request = new PolicyRequest("ag_1", "alice", ["read"], Created.AddHours(12));

        Assert.Null(PolicyEvaluator.Evaluate([deny], request).Policy);
        Assert.Null(CompiledPolicySet.Compile([deny]).Evaluate(request).Policy);
    }

    [Fact]
    public void an_allow_that_lists_every_requested_scope_is_found_whichever_scope_is_rarest()
    {
        var broad = P(PolicyEffect.Allow, 1, scopes: ["read", "write", "admin"]);
        var narrow = P(PolicyEffect.Allow, 5, scopes: ["read"]);
        var compiled = CompiledPolicySet.Compile([narrow, broad]);

        Assert.Same(broad, compiled.Evaluate(new PolicyRequest("ag_1", "alice", ["read", "admin"], Created)).Policy);
        Assert.Same(narrow, compiled.Evaluate(new PolicyRequest("ag_1", "alice", ["read"], Created)).Policy);
        Assert.Null(compiled.Evaluate(new PolicyRequest("ag_1", "alice", ["read", "delete"], Created)).Policy);
    }

    [Fact]
    public void a_deny_filed_under_its_agent_still_needs_its_scopes_and_beats_any_allow()
    {
        var deny = P(PolicyEffect.Deny, -10, agent: "ag_1", scopes: ["email:send"]);
        var allow = P(PolicyEffect.Allow, 100);
        var compiled = CompiledPolicySet.Compile([allow, deny]);

        Assert.Same(deny, compiled.Evaluate(new PolicyRequest("ag_1", "alice", ["read", "email:send"], Created)).Policy);
        Assert.Same(allow, compiled.Evaluate(new PolicyRequest("ag_1", "alice", ["read"], Created)).Policy);
        Assert.Same(allow, compiled.Evaluate(new PolicyRequest("ag_2", "alice", ["email:send"], Created)).Policy);
    }

    private static string Show(PolicyRequest r) => $"[{r.AgentId} {r.PrincipalId} {string.Join(",", r.Scopes)} {r.At:HH:mm}]";

    private static string Show(Policy? p) => p is null ? "none"
        : $"[{p.Id} {p.Effect} {p.Priority} {p.CreatedAt:HH:mm} a={p.AgentId} p={p.PrincipalId} s={(p.Scopes is null ? "null" : string.Join(",", p.Scopes))} {p.TimeOfDayStart}-{p.TimeOfDayEnd} {p.TimeZone}]";

    private static List<Policy> Shuffled(Random random, List<Policy> policies) => [.. policies.OrderBy(_ => random.Next())];

    private static Policy RandomPolicy(Random random, int i)
    {
        var window = random.Next(3) == 0;
        return new Policy
        {
            Id = $"pol_{random.Next(1000):D4}_{i:D3}",
            DeveloperId = "dev_1",
            Name = $"policy {i}",
            Effect = random.Next(3) == 0 ? PolicyEffect.Deny : PolicyEffect.Allow,
            Priority = random.Next(-2, 3),
            AgentId = random.Next(3) == 0 ? Agents[random.Next(Agents.Length)] : null,
            PrincipalId = random.Next(4) == 0 ? Principals[random.Next(Principals.Length)] : null,
            Scopes = random.Next(2) == 0 ? null : [.. Scopes.Where(_ => random.Next(3) == 0)],
            TimeOfDayStart = window ? $"{random.Next(24):D2}:{random.Next(4) * 15:D2}" : random.Next(10) == 0 ? "08:00" : null,
            TimeOfDayEnd = window ? $"{random.Next(24):D2}:{random.Next(4) * 15:D2}" : null,
            TimeZone = window ? Zones[random.Next(Zones.Length)] : null,
            CreatedAt = Created.AddMinutes(random.Next(3)),
            UpdatedAt = Created,
        };
    }

    private static PolicyRequest RandomRequest(Random random) => new(
        Agents[random.Next(Agents.Length)],
        Principals[random.Next(Principals.Length)],
        [.. Scopes.Where(_ => random.Next(3) == 0)],
        Created.AddDays(random.Next(200)).AddMinutes(random.Next(24 * 60)));

    private static int _next;

    private static Policy P(PolicyEffect effect, int priority, string? agent = null, List<string>? scopes = null) => new()
    {
        Id = $"pol_{Interlocked.Increment(ref _next):D6}",
        DeveloperId = "dev_1",
        Name = "p",
        Effect = effect,
        Priority = priority,
        AgentId = agent,
        Scopes = scopes,
        CreatedAt = Created,
        UpdatedAt = Created,
    };
}
