using System.Diagnostics;
using Grantex.Console.Components.Pages.Grants;
using Grantex.Core.Agents;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.ConsoleBench;

/// <summary>
/// Seeds N grants through the single writer (5 developers, 50 agents, 10,000 principals, a quarter revoked, issued
/// over 60 days) and times the call the Grants page makes for one page of 25 — GrantAdmin.ListAsync: the role check
/// against the database, the keyset query, agent and developer names — for the filters people use.
/// </summary>
internal static class GrantListBenchmark
{
    private const int PageSize = 25;
    private const string RareScope = "audit:export";

    public static async Task<int> RunAsync(int count)
    {
        await using var host = await BenchHost.StartAsync();
        var services = host.Services;
        var seeded = Stopwatch.StartNew();
        var (developers, agents) = await SeedAsync(services, count);
        System.Console.WriteLine($"Seeded {count:N0} grants through the WriteQueue in {seeded.Elapsed.TotalSeconds:0.0} s");

        var circuit = await host.SignedInAdministratorAsync();
        var grants = circuit.GetRequiredService<GrantAdmin>();
        var core = services.GetRequiredService<GrantService>();
        var deep = await CursorAtPageAsync(grants, 200);

        var scenarios = new (string Name, Func<Task> Call)[]
        {
            ("all developers, newest first (the default page)", () => List(grants, new GrantQuery(null, new GrantFilter(), null, PageSize))),
            ("all developers, page 200 (keyset cursor)", () => List(grants, new GrantQuery(null, new GrantFilter(), deep, PageSize))),
            ("one developer", () => List(grants, new GrantQuery(developers[0], new GrantFilter(), null, PageSize))),
            ("status=active", () => List(grants, new GrantQuery(null, new GrantFilter(Status: "active"), null, PageSize))),
            ("status=revoked, one developer", () => List(grants, new GrantQuery(developers[1], new GrantFilter(Status: "revoked"), null, PageSize))),
            ("agent filter", () => List(grants, new GrantQuery(null, new GrantFilter(AgentId: agents[7]), null, PageSize))),
            ("principal filter, one developer", () => List(grants, new GrantQuery(developers[2], new GrantFilter(PrincipalId: "user_4242"), null, PageSize))),
            ("principal filter, all developers", () => List(grants, new GrantQuery(null, new GrantFilter(PrincipalId: "user_4242"), null, PageSize))),
            ("issued in one day", () => List(grants, new GrantQuery(null, new GrantFilter(IssuedFrom: DateTime.UtcNow.Date.AddDays(-30), IssuedTo: DateTime.UtcNow.Date.AddDays(-29)), null, PageSize))),
            ("status=revoked, all developers", () => List(grants, new GrantQuery(null, new GrantFilter(Status: "revoked"), null, PageSize))),
            ("scope filter, a common scope", () => List(grants, new GrantQuery(null, new GrantFilter(Scope: "files:write"), null, PageSize))),
            ("scope filter, a scope no grant has", () => List(grants, new GrantQuery(null, new GrantFilter(Scope: "payments:initiate"), null, PageSize))),
            ("scope filter, a scope 1 in 100,000 grants has", () => List(grants, new GrantQuery(null, new GrantFilter(Scope: RareScope), null, PageSize))),
            ("scope filter, rare scope, one developer (API)", () => core.ListAsync(developers[0], new GrantFilter(Scope: RareScope), null, PageSize)),
            ("scope filter, common scope, one developer (API)", () => core.ListAsync(developers[0], new GrantFilter(Scope: "files:write"), null, PageSize)),
        };

        System.Console.WriteLine($"Grant list, {PageSize} per page, GrantAdmin.ListAsync (median / p95 of 200 calls after 20 warm-up calls):");
        foreach (var (name, call) in scenarios)
        {
            var (median, p95) = await Stats.TimeAsync(call);
            System.Console.WriteLine($"  {name,-52} {Stats.Ms(median),10} {Stats.Ms(p95),10}");
        }

        var (coreMedian, coreP95) = await Stats.TimeAsync(() => core.ListAcrossAsync(null, new GrantFilter(), null, PageSize));
        System.Console.WriteLine($"  Core GrantService.ListAcrossAsync alone, default page  {Stats.Ms(coreMedian),10} {Stats.Ms(coreP95),10}");

        // For comparison, the query the scope filter ran before the grant_scopes index: each grant's scope array opened.
        var factory = services.GetRequiredService<IDbContextFactory<GrantexDbContext>>();
        foreach (var scope in new[] { RareScope, "payments:initiate" })
        {
            var (oldMedian, oldP95) = await Stats.TimeAsync(async () =>
            {
                await using var db = await factory.CreateDbContextAsync();
                await db.Grants.AsNoTracking()
                    .Where(g => g.Scopes.Contains(scope)).OrderByDescending(g => g.IssuedAt).ThenByDescending(g => g.Id).Take(PageSize + 1).ToListAsync();
            }, iterations: 3, warmup: 1);
            System.Console.WriteLine($"  before: scope array scan, {scope,-30}    {Stats.Ms(oldMedian),10} {Stats.Ms(oldP95),10}");
        }
        return 0;
    }

    private static async Task List(GrantAdmin grants, GrantQuery query)
    {
        var result = await grants.ListAsync(query);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException(result.Error.Message);
        }
    }

    private static async Task<string?> CursorAtPageAsync(GrantAdmin grants, int page)
    {
        string? cursor = null;
        for (var i = 1; i < page; i++)
        {
            cursor = (await grants.ListAsync(new GrantQuery(null, new GrantFilter(), cursor, PageSize))).Value!.NextCursor;
        }

        return cursor;
    }

    internal static async Task<(string[] Developers, string[] Agents)> SeedAsync(IServiceProvider services, int count)
    {
        var developerService = services.GetRequiredService<DeveloperService>();
        var agentService = services.GetRequiredService<AgentService>();
        var developers = new string[5];
        for (var d = 0; d < developers.Length; d++)
        {
            developers[d] = (await developerService.CreateAsync($"Developer {d}", DeveloperMode.Live)).Value!.Developer.Id;
        }

        var agents = new string[50];
        for (var a = 0; a < agents.Length; a++)
        {
            agents[a] = (await agentService.CreateAsync(developers[a % developers.Length], new AgentInput($"Agent {a}", null, ["calendar:read"], null), "bench")).Value!.Id;
        }

        string[][] scopeSets = [["calendar:read"], ["calendar:read", "email:send"], ["files:read", "files:write"], ["read", "write"]];
        var writes = services.GetRequiredService<WriteQueue>();
        var random = new Random(42);
        var start = DateTime.UtcNow.AddDays(-60);
        var span = TimeSpan.FromDays(60).Ticks;
        const int Batch = 1000;
        for (var done = 0; done < count; done += Batch)
        {
            var rows = new List<Grant>(Batch);
            for (var i = 0; i < Math.Min(Batch, count - done); i++)
            {
                var agent = random.Next(agents.Length);
                var issued = TimeFormatMillis(start.AddTicks((long)(random.NextDouble() * span)));
                var id = Ids.New(Ids.Grant);
                var revoked = random.Next(4) == 0;
                var scopes = (done + i) % 100_000 == 7 ? ["calendar:read", RareScope] : scopeSets[random.Next(scopeSets.Length)];
                rows.Add(new Grant
                {
                    Id = id,
                    RootGrantId = id,
                    DeveloperId = developers[agent % developers.Length],
                    AgentId = agents[agent],
                    PrincipalId = $"user_{random.Next(10_000)}",
                    Scopes = [.. scopes],
                    Status = revoked ? GrantStatus.Revoked : GrantStatus.Active,
                    IssuedAt = issued,
                    ExpiresAt = issued.AddDays(90),
                    RevokedAt = revoked ? issued.AddHours(1) : null,
                    RevokedBy = revoked ? "bench" : null,
                });
            }

            await writes.ExecuteAsync(ctx =>
            {
                ctx.Db.Grants.AddRange(rows);
                return Task.FromResult(rows.Count);
            });
        }

        return (developers, agents);
    }

    private static DateTime TimeFormatMillis(DateTime value) => TimeFormat.ToMillis(value);
}
