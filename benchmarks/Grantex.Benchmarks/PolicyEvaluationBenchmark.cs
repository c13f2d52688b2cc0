using System.Diagnostics;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Grantex.Core.Policies;

namespace Grantex.Benchmarks;

/// <summary>
/// Policy evaluation for one developer with 1,000 policies (the cap), none of which matches the request — the worst
/// case for a scan: every policy must be ruled out, by its scopes or its time window (a quarter in an IANA time zone).
/// Measures the compiled evaluation authorize uses (<see cref="CompiledPolicySet"/>, built once per change), the
/// reference scan (<see cref="PolicyEvaluator"/> over the loaded list) for comparison, and what authorize pays
/// (<see cref="PolicySetCache"/> then <see cref="PolicyEnforcement"/>).
/// </summary>
internal static class PolicyEvaluationBenchmark
{
    public static async Task RunAsync(int runs, int count = PolicyRules.MaxPerDeveloper, int iterations = 2_000)
    {
        await using var host = await BenchHost.StartAsync();
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        string[] zones = ["Europe/Paris", "America/New_York", "Europe/London", "Europe/Berlin"];
        var now = DateTime.UtcNow;
        // No agent or principal filter, so each policy is read to its scopes or its window: even ones list scopes the
        // request does not fit (allow: "write" missing; deny: no overlap), odd ones have a night window (half in a
        // time zone) that 12:00 UTC is outside of. Nothing matches, so all 1,000 are evaluated fully.
        var policies = Enumerable.Range(0, count).Select(i => new Policy
        {
            Id = Ids.New(Ids.Policy),
            DeveloperId = caller.Developer.Id,
            Name = $"policy {i}",
            Effect = i % 3 == 0 ? PolicyEffect.Deny : PolicyEffect.Allow,
            Priority = i % 50,
            Scopes = i % 2 == 1 ? null : i % 3 == 0 ? [$"scope:{i}", "admin"] : ["read", $"scope:{i}"],
            TimeOfDayStart = i % 2 == 1 ? "22:00" : null,
            TimeOfDayEnd = i % 2 == 1 ? "06:00" : null,
            TimeZone = i % 4 == 1 ? zones[i / 4 % zones.Length] : null,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        await host.Get<WriteQueue>().ExecuteAsync(async ctx =>
        {
            ctx.Db.Policies.AddRange(policies);
            await ctx.Db.SaveChangesAsync();
            return 0;
        });

        var loaded = await host.Get<PolicyService>().ListAsync(caller.Developer.Id);
        var request = new PolicyRequest(agent.Id, "alice", ["read", "write"], new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc));
        var enforcement = host.Get<PolicyEnforcement>();
        var cache = host.Get<PolicySetCache>();
        var factory = host.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<GrantexDbContext>>();
        var compiled = CompiledPolicySet.Compile(loaded);
        var pure = new List<double>();
        var naive = new List<double>();
        var enforced = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var samples = new double[iterations];
            var reference = new double[iterations / 10];
            for (var i = 0; i < iterations; i++)
            {
                var sw = Stopwatch.StartNew();
                var decision = compiled.Evaluate(request);
                sw.Stop();
                samples[i] = sw.Elapsed.TotalMicroseconds;
                if (decision.Policy is not null || decision.Considered != count)
                {
                    throw new InvalidOperationException("A policy matched; the benchmark wants every policy ruled out.");
                }

                if (i % 10 == 0)
                {
                    sw.Restart();
                    decision = PolicyEvaluator.Evaluate(loaded, request);
                    sw.Stop();
                    reference[i / 10] = sw.Elapsed.TotalMicroseconds;
                    if (decision.Policy is not null)
                    {
                        throw new InvalidOperationException("The reference evaluator disagrees.");
                    }
                }
            }

            var withLoad = new double[iterations / 10];
            for (var i = 0; i < withLoad.Length; i++)
            {
                var sw = Stopwatch.StartNew();
                await using var db = await factory.CreateDbContextAsync(); // authorize has one open already
                var current = await cache.GetAsync(db, caller.Developer.Id); // what authorize gets (compiled once, then cached)
                _ = await enforcement.EnforceAsync(caller, current, agent.Id, "alice", ["read", "write"]); // real clock: at night some windows match
                sw.Stop();
                withLoad[i] = sw.Elapsed.TotalMicroseconds;
            }

            if (run == 0)
            {
                continue; // warm-up round
            }

            pure.Add(Report.Median(samples));
            naive.Add(Report.Median(reference));
            enforced.Add(Report.Median(withLoad));
            Report.Run("policy-eval", run,
                $"{count} policies: compiled evaluation median {Report.F(pure[^1])} µs; reference scan {Report.F(naive[^1])} µs; cache + enforcement {Report.F(enforced[^1])} µs");
        }

        Report.Summary($"policy evaluation (compiled), {count} policies, no match", "µs", pure, 20, higherIsBetter: false);
        Console.WriteLine($"  [policy-eval] reference scan (PolicyEvaluator): median {Report.F(Report.Median(naive))} µs");
        Console.WriteLine($"  [policy-eval] what authorize does (cached compiled set + enforcement): median {Report.F(Report.Median(enforced))} µs");
    }
}
