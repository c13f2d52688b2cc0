using System.Diagnostics;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;

namespace Grantex.Benchmarks;

/// <summary>
/// Cascade revoke of a 10,000-grant delegation tree (GrantService.RevokeAsync on the root): one recursive UPDATE,
/// the audit entry, the commit, and the revocation index updated before the call returns.
/// </summary>
internal static class CascadeRevokeBenchmark
{
    public static async Task RunAsync(int runs, int size = 10_000, int fanOut = 10)
    {
        await using var host = await BenchHost.StartAsync();
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var grants = host.Get<GrantService>();

        var times = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var (rootId, depth) = await BuildTreeAsync(host.Get<WriteQueue>(), caller.Developer.Id, agent.Id, size, fanOut);
            var sw = Stopwatch.StartNew();
            var revoked = BenchHost.Ok(await grants.RevokeAsync(caller.Developer.Id, rootId, caller.Actor));
            sw.Stop();
            if (revoked != size)
            {
                throw new InvalidOperationException($"Expected {size} grants revoked, got {revoked}.");
            }

            if (run == 0)
            {
                continue; // warm-up round
            }

            times.Add(sw.Elapsed.TotalMilliseconds);
            Report.Run("cascade-revoke", run, $"{revoked} grants (depth {depth}, fan-out {fanOut}) revoked in {Report.F(sw.Elapsed.TotalMilliseconds)} ms");
        }

        Report.Summary("cascade revoke of 10,000 grants", "ms", times, 50, higherIsBetter: false);
    }

    /// <summary>Inserts a tree breadth first, straight through the writer in large commands (setup only).</summary>
    private static async Task<(string RootId, int Depth)> BuildTreeAsync(WriteQueue writes, string developerId, string agentId, int size, int fanOut)
    {
        var now = DateTime.UtcNow;
        var all = new List<Grant>(size);
        var rootId = Ids.New(Ids.Grant);
        all.Add(NewGrant(rootId, null, rootId, 0));
        for (var parent = 0; all.Count < size; parent++)
        {
            for (var c = 0; c < fanOut && all.Count < size; c++)
            {
                var p = all[parent];
                all.Add(NewGrant(Ids.New(Ids.Grant), p.Id, rootId, p.DelegationDepth + 1));
            }
        }

        foreach (var chunk in all.Chunk(2_500))
        {
            await writes.ExecuteAsync(ctx =>
            {
                ctx.Db.Set<Grant>().AddRange(chunk);
                return Task.FromResult(0);
            });
        }

        return (rootId, all[^1].DelegationDepth);

        Grant NewGrant(string id, string? parentId, string root, int depth) => new()
        {
            Id = id,
            DeveloperId = developerId,
            AgentId = agentId,
            PrincipalId = "user_bench",
            Scopes = ["read"],
            Status = GrantStatus.Active,
            IssuedAt = TimeFormat.ToMillis(now),
            ExpiresAt = TimeFormat.ToMillis(now.AddDays(1)),
            ParentGrantId = parentId,
            RootGrantId = root,
            DelegationDepth = depth,
        };
    }
}
