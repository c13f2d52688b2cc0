using System.Diagnostics;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;

namespace Grantex.Benchmarks;

/// <summary>
/// Cascade revoke of a 10,000-grant delegation tree (GrantService.RevokeAsync on the root): one UPDATE over the
/// tree, the audit entry, the commit, and the revocation index updated before the call returns. Each run also
/// revokes a 10,000-grant subtree (a delegated grant and its descendants, under one more grant), which takes the
/// recursive walk down the parent links instead of the root-id index, for comparison under the same load.
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
        var subtreeTimes = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var (rootId, depth) = await BuildTreeAsync(host.Get<WriteQueue>(), caller.Developer.Id, agent.Id, size, fanOut, extraRoot: false);
            var root = await TimeRevokeAsync(rootId);
            var (subtreeId, _) = await BuildTreeAsync(host.Get<WriteQueue>(), caller.Developer.Id, agent.Id, size, fanOut, extraRoot: true);
            var subtree = await TimeRevokeAsync(subtreeId);
            if (run == 0)
            {
                continue; // warm-up round
            }

            times.Add(root);
            subtreeTimes.Add(subtree);
            Report.Run("cascade-revoke", run, $"{size} grants (depth {depth}, fan-out {fanOut}) revoked in {Report.F(root)} ms from the root; " +
                $"a {size}-grant subtree (recursive walk) in {Report.F(subtree)} ms");
        }

        Report.Summary("cascade revoke of 10,000 grants", "ms", times, 50, higherIsBetter: false);
        Console.WriteLine($"  [cascade-revoke] subtree of 10,000 by the recursive walk: median {Report.F(Report.Median(subtreeTimes))} ms");

        async Task<double> TimeRevokeAsync(string grantId)
        {
            var sw = Stopwatch.StartNew();
            var revoked = BenchHost.Ok(await grants.RevokeAsync(caller.Developer.Id, grantId, caller.Actor));
            sw.Stop();
            return revoked == size ? sw.Elapsed.TotalMilliseconds : throw new InvalidOperationException($"Expected {size} grants revoked, got {revoked}.");
        }
    }

    /// <summary>Inserts a tree breadth first, straight through the writer in large commands (setup only).</summary>
    /// <returns>The id of the grant to revoke: the tree's root, or with <paramref name="extraRoot"/> the top of a
    /// <paramref name="size"/>-grant subtree delegated from one more grant.</returns>
    private static async Task<(string RevokeId, int Depth)> BuildTreeAsync(
        WriteQueue writes, string developerId, string agentId, int size, int fanOut, bool extraRoot)
    {
        var now = DateTime.UtcNow;
        var all = new List<Grant>(size + 1);
        var rootId = Ids.New(Ids.Grant);
        if (extraRoot)
        {
            all.Add(NewGrant(rootId, null, rootId, 0));
        }

        var topId = extraRoot ? Ids.New(Ids.Grant) : rootId;
        all.Add(NewGrant(topId, extraRoot ? rootId : null, rootId, extraRoot ? 1 : 0));
        var first = all.Count - 1;
        size += first;
        for (var parent = first; all.Count < size; parent++)
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

        return (topId, all[^1].DelegationDepth);

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
