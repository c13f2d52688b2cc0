using System.Diagnostics;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Grantex.Core.Principals;

namespace Grantex.Benchmarks;

/// <summary>
/// SCIM deactivation of a principal who holds 10,000 active grants (PrincipalDirectory.ReplaceAsync with
/// active:false): the revocation statement over every tree of the principal, one grant.revoked event and audit entry
/// per revoked tree, the directory change's own entry, the commit and the revocation index — until the call returns.
/// Two shapes: 10,000 separate root grants (10,000 trees, so 10,000 events and entries) and 10 roots with 999
/// delegated grants each (10 trees).
/// </summary>
internal static class ScimDeactivateBenchmark
{
    public static async Task RunAsync(int runs, int size = 10_000)
    {
        await using var host = await BenchHost.StartAsync();
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var directory = host.Get<PrincipalDirectory>();
        var scim = new ScimCaller(caller.Developer.Id, "scimtok_bench");

        foreach (var trees in new[] { size, 10 })
        {
            var times = new List<double>();
            for (var run = 0; run <= runs; run++)
            {
                var principal = $"person-{trees}-{run}@example.com";
                await SeedAsync(host.Get<WriteQueue>(), caller.Developer.Id, agent.Id, principal, size, trees);
                var user = BenchHost.Ok(await directory.CreateAsync(scim, new ScimUserInput(principal, null, null, null, null, true, [])));
                var sw = Stopwatch.StartNew();
                BenchHost.Ok(await directory.ReplaceAsync(scim, user.Id, new ScimUserInput(principal, null, null, null, null, false, [])));
                sw.Stop();
                await using (var db = await host.DbAsync())
                {
                    var left = db.Grants.Count(g => g.PrincipalId == principal && g.Status == GrantStatus.Active);
                    if (left != 0)
                    {
                        throw new InvalidOperationException($"{left} grants still active.");
                    }
                }

                if (run == 0)
                {
                    continue; // warm-up round
                }

                times.Add(sw.Elapsed.TotalMilliseconds);
                Report.Run("scim-deactivate", run, $"{size} grants in {trees} trees revoked by deactivation in {Report.F(sw.Elapsed.TotalMilliseconds)} ms");
            }

            Report.Summary($"SCIM deactivation, {size} grants in {trees} trees", "ms", times, 100, higherIsBetter: false);
        }
    }

    private static async Task SeedAsync(WriteQueue writes, string developerId, string agentId, string principal, int size, int trees)
    {
        var now = TimeFormat.ToMillis(DateTime.UtcNow);
        var all = new List<Grant>(size);
        var perTree = size / trees;
        for (var t = 0; t < trees; t++)
        {
            var rootId = Ids.New(Ids.Grant);
            all.Add(NewGrant(rootId, null, rootId, 0));
            for (var c = 1; c < perTree; c++)
            {
                all.Add(NewGrant(Ids.New(Ids.Grant), rootId, rootId, 1));
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

        Grant NewGrant(string id, string? parentId, string root, int depth) => new()
        {
            Id = id,
            DeveloperId = developerId,
            AgentId = agentId,
            PrincipalId = principal,
            Scopes = ["read"],
            Status = GrantStatus.Active,
            IssuedAt = now,
            ExpiresAt = now.AddDays(1),
            ParentGrantId = parentId,
            RootGrantId = root,
            DelegationDepth = depth,
        };
    }
}
