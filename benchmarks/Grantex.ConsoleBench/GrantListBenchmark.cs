using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Grantex.Console.Components.Pages.Grants;
using Grantex.Core.Agents;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Microsoft.Data.Sqlite;
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
        var engine = host.Database is null ? "SQLite" : "PostgreSQL";
        var (developers, agents, existing) = await ExistingAsync(services);
        if (existing > 0)
        {
            System.Console.WriteLine($"Reusing {existing:N0} grants ({engine})");
        }
        else if (Environment.GetEnvironmentVariable("GX_BENCH_SEED") == "writer")
        {
            (developers, agents) = await SeedAsync(services, count);
            System.Console.WriteLine($"Seeded {count:N0} grants through the WriteQueue in {seeded.Elapsed.TotalSeconds:0.0} s ({engine})");
        }
        else
        {
            (developers, agents) = await SeedRawAsync(services, count);
            System.Console.WriteLine($"Seeded {count:N0} grants with prepared inserts in {seeded.Elapsed.TotalSeconds:0.0} s ({engine})");
        }

        var circuit = await host.SignedInAdministratorAsync();
        var grants = circuit.GetRequiredService<GrantAdmin>();
        var core = services.GetRequiredService<GrantService>();
        var deep = await CursorAtPageAsync(grants, 200);
        Cursor? apiDeep = null;
        for (var i = 1; i < 200; i++)
        {
            var page = await core.ListAsync(developers[0], new GrantFilter(), apiDeep, PageSize);
            apiDeep = Cursor.TryDecode(page.Value!.NextCursor, out var next) ? next : null;
        }

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
            ("status=expired", () => List(grants, new GrantQuery(null, new GrantFilter(Status: "expired"), null, PageSize))),
            ("API: one developer, first page", () => Api(core, developers[0], new GrantFilter(), null)),
            ("API: one developer, page 200 (keyset cursor)", () => Api(core, developers[0], new GrantFilter(), apiDeep)),
            ("API: status=active", () => Api(core, developers[0], new GrantFilter(Status: "active"), null)),
            ("API: status=revoked", () => Api(core, developers[0], new GrantFilter(Status: "revoked"), null)),
            ("API: status=expired", () => Api(core, developers[0], new GrantFilter(Status: "expired"), null)),
            ("API: principal filter", () => Api(core, developers[2], new GrantFilter(PrincipalId: "user_4242"), null)),
            ("API: agent filter", () => Api(core, developers[7 % developers.Length], new GrantFilter(AgentId: agents[7]), null)),
            ("API: rare scope + status=active", () => Api(core, developers[0], new GrantFilter(Scope: RareScope, Status: "active"), null)),
            ("API: common scope + status=revoked", () => Api(core, developers[0], new GrantFilter(Scope: "files:write", Status: "revoked"), null)),
            ("API: common scope + agent", () => Api(core, developers[7 % developers.Length], new GrantFilter(Scope: "files:write", AgentId: agents[7]), null)),
        };

        System.Console.WriteLine($"Grant list, {PageSize} per page, GrantAdmin.ListAsync (median / p95 of 200 calls after 20 warm-up calls):");
        foreach (var (name, call) in scenarios)
        {
            var (median, p95) = await Stats.TimeAsync(call);
            System.Console.WriteLine($"  {name,-52} {Stats.Ms(median),10} {Stats.Ms(p95),10}");
        }

        var (coreMedian, coreP95) = await Stats.TimeAsync(() => core.ListAcrossAsync(null, new GrantFilter(), null, PageSize));
        System.Console.WriteLine($"  Core GrantService.ListAcrossAsync alone, default page  {Stats.Ms(coreMedian),10} {Stats.Ms(coreP95),10}");

        // For comparison, the query the scope filter ran before the grant_scopes index: each grant's scope array opened
        // (16 s a call at 1,000,000 grants, so only up to 100,000).
        if (existing + count > 100_000)
        {
            return 0;
        }

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

    private static async Task Api(GrantService core, string developerId, GrantFilter filter, Cursor? after)
    {
        var result = await core.ListAsync(developerId, filter, after, PageSize);
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
        var (developers, agents) = await ParentsAsync(services);

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

    /// <summary>A database seeded by an earlier run (GX_BENCH_DIR / GX_BENCH_PGDB): its developers and agents, in creation order.</summary>
    private static async Task<(string[] Developers, string[] Agents, long Grants)> ExistingAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        var grants = await db.Grants.LongCountAsync();
        if (grants == 0)
        {
            return ([], [], 0);
        }

        var developers = await db.Developers.AsNoTracking().Where(d => d.Name.StartsWith("Developer ")).OrderBy(d => d.Name).Select(d => d.Id).ToArrayAsync();
        var agents = (await db.Agents.AsNoTracking().Where(a => a.Name.StartsWith("Agent ")).Select(a => new { a.Id, a.Name }).ToListAsync())
            .OrderBy(a => int.Parse(a.Name["Agent ".Length..], System.Globalization.CultureInfo.InvariantCulture)).Select(a => a.Id).ToArray();
        return (developers, agents, grants);
    }

    /// <summary>
    /// The fast path for a million grants: one prepared INSERT into grants per row, 50,000 rows per transaction, on a
    /// connection of its own (the grant_scopes index rows are written by the database's trigger, as for any grant).
    /// The spread of <see cref="SeedAsync"/> (5 developers, 50 agents, 10,000 principals, a quarter revoked, issued over
    /// 60 days, one grant in 100,000 also holding <see cref="RareScope"/>), plus eight scope sets instead of four and a
    /// validity of 1, 7, 30 or 90 days, so that some grants have expired.
    /// </summary>
    internal static async Task<(string[] Developers, string[] Agents)> SeedRawAsync(IServiceProvider services, int count)
    {
        var (developers, agents) = await ParentsAsync(services);
        string[][] scopeSets =
        [
            ["calendar:read"], ["calendar:read", "email:send"], ["files:read", "files:write"], ["read", "write"],
            ["email:read"], ["contacts:read", "calendar:read"], ["files:read"], ["payments:read", "email:send"],
        ];
        int[] validity = [1, 7, 30, 90];
        await using var db = await services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var postgres = connection is not SqliteConnection;
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO grants ("Id", "DeveloperId", "AgentId", "PrincipalId", "Scopes", "Status", "IssuedAt", "ExpiresAt", "RevokedAt", "RevokedBy",
                "RootGrantId", "DelegationDepth", "PresenceUserVerified", "IdentityLevel")
            VALUES (@id, @developer, @agent, @principal, @scopes, @status, @issued, @expires, @revokedAt, @revokedBy, @id, 0, @verified, 'None')
            """;
        DbParameter Parameter(string name)
        {
            var p = insert.CreateParameter();
            p.ParameterName = name;
            insert.Parameters.Add(p);
            return p;
        }

        var (id, developer, agentId, principal, scopes, status, issuedAt, expires, revokedAt, revokedBy, verified) = (Parameter("@id"), Parameter("@developer"),
            Parameter("@agent"), Parameter("@principal"), Parameter("@scopes"), Parameter("@status"), Parameter("@issued"), Parameter("@expires"),
            Parameter("@revokedAt"), Parameter("@revokedBy"), Parameter("@verified"));
        verified.Value = false;
        var random = new Random(42);
        var start = TimeFormat.ToUnixMillis(DateTime.UtcNow.AddDays(-60));
        var span = (long)TimeSpan.FromDays(60).TotalMilliseconds;
        const int Batch = 50_000;
        for (var done = 0; done < count; done += Batch)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            insert.Transaction = transaction;
            if (done == 0)
            {
                await insert.PrepareAsync();
            }

            for (var i = done; i < Math.Min(done + Batch, count); i++)
            {
                var agent = random.Next(agents.Length);
                var issued = start + (long)(random.NextDouble() * span);
                var revoked = random.Next(4) == 0;
                string[] set = i % 100_000 == 7 ? ["calendar:read", RareScope] : scopeSets[random.Next(scopeSets.Length)];
                id.Value = Ids.New(Ids.Grant);
                developer.Value = developers[agent % developers.Length];
                agentId.Value = agents[agent];
                principal.Value = $"user_{random.Next(10_000)}";
                scopes.Value = postgres ? set : JsonSerializer.Serialize(set);
                status.Value = revoked ? nameof(GrantStatus.Revoked) : nameof(GrantStatus.Active);
                issuedAt.Value = issued;
                expires.Value = issued + (validity[random.Next(validity.Length)] * 86_400_000L);
                revokedAt.Value = revoked ? issued + 3_600_000 : DBNull.Value;
                revokedBy.Value = revoked ? "bench" : DBNull.Value;
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        if (postgres)
        {
            await using var analyze = connection.CreateCommand();
            analyze.CommandText = "ANALYZE grants; ANALYZE grant_scopes;";
            await analyze.ExecuteNonQueryAsync();
        }

        return (developers, agents);
    }

    private static async Task<(string[] Developers, string[] Agents)> ParentsAsync(IServiceProvider services)
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

        return (developers, agents);
    }

    private static DateTime TimeFormatMillis(DateTime value) => TimeFormat.ToMillis(value);
}
