using System.Diagnostics;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Events;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Grantex.Benchmarks;

/// <summary>
/// Cascade revoke of a 10,000-grant delegation tree (GrantService.RevokeAsync on the root): one UPDATE over the
/// tree, the audit entry, the commit, and the revocation index updated before the call returns. Each run also
/// revokes a 10,000-grant subtree (a delegated grant and its descendants, under one more grant), which takes the
/// recursive walk down the parent links instead of the root-id index, for comparison under the same load.
/// </summary>
internal static class CascadeRevokeBenchmark
{
    /// <summary>The by-root cascade as one UPDATE … RETURNING (the revoker's form before the aggregated one), for comparison.</summary>
    private const string UpdateReturning = GrantTreeSql.RevokeByRootNoReturning + "\nRETURNING \"Id\", \"ParentGrantId\", \"ExpiresAt\"";

    public static async Task RunAsync(int runs, int size = 10_000, int fanOut = 10)
    {
        await using var host = await BenchHost.StartAsync();
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var grants = host.Get<GrantService>();

        var times = new List<double>();
        var subtreeTimes = new List<double>();
        var cpuTimes = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var (rootId, depth) = await BuildTreeAsync(host.Get<WriteQueue>(), caller.Developer.Id, agent.Id, size, fanOut, extraRoot: false);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var root = await TimeRevokeAsync(rootId);
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
            var (subtreeId, _) = await BuildTreeAsync(host.Get<WriteQueue>(), caller.Developer.Id, agent.Id, size, fanOut, extraRoot: true);
            var subtree = await TimeRevokeAsync(subtreeId);
            if (run == 0)
            {
                continue; // warm-up round
            }

            times.Add(root);
            cpuTimes.Add(cpu);
            subtreeTimes.Add(subtree);
            Report.Run("cascade-revoke", run, $"{size} grants (depth {depth}, fan-out {fanOut}) revoked in {Report.F(root)} ms from the root (process CPU {Report.F(cpu)} ms); " +
                $"a {size}-grant subtree (recursive walk) in {Report.F(subtree)} ms");
        }

        Report.Summary("cascade revoke of 10,000 grants", "ms", times, 50, higherIsBetter: false);
        Console.WriteLine($"  [cascade-revoke] process CPU (all threads) during the revoke from the root: median {Report.F(Report.Median(cpuTimes))} ms");
        Console.WriteLine($"  [cascade-revoke] subtree of 10,000 by the recursive walk: median {Report.F(Report.Median(subtreeTimes))} ms");

        async Task<double> TimeRevokeAsync(string grantId)
        {
            var sw = Stopwatch.StartNew();
            var revoked = BenchHost.Ok(await grants.RevokeAsync(caller.Developer.Id, grantId, caller.Actor));
            sw.Stop();
            return revoked == size ? sw.Elapsed.TotalMilliseconds : throw new InvalidOperationException($"Expected {size} grants revoked, got {revoked}.");
        }
    }

    /// <summary>
    /// Where the time of one cascade goes (SQLite or PostgreSQL): per round a fresh tree each for the whole revoke,
    /// the bare UPDATE … RETURNING inside a write command (statement time and command total, the rest being the
    /// queue and the commit), and an empty write command (queue + commit of nothing).
    /// </summary>
    public static async Task BreakdownAsync(int runs, int size = 10_000, int fanOut = 10)
    {
        await using var host = await BenchHost.StartAsync();
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var grants = host.Get<GrantService>();
        var writes = host.Get<WriteQueue>();
        var full = new List<double>();
        var statement = new List<double>();
        var command = new List<double>();
        var empty = new List<double>();
        var inRevoker = new List<double>();
        var revokerCommand = new List<double>();
        var revoker = host.Get<GrantRevoker>();
        var cpuStatement = new List<double>();
        var cpuNoReturning = new List<double>();
        var cpuReader = new List<double>();
        var cpuRevoker = new List<double>();
        var cpuCommit = new List<double>();
        var cpuAfter = new List<double>();
        var phaseLookup = new List<double>();
        var phaseList = new List<double>();
        var phaseStatement = new List<double>();
        var phaseEvent = new List<double>();
        var phaseAudit = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var (rootId, _) = await BuildTreeAsync(writes, caller.Developer.Id, agent.Id, size, fanOut, extraRoot: false);
            var sw = Stopwatch.StartNew();
            BenchHost.Ok(await grants.RevokeAsync(caller.Developer.Id, rootId, caller.Actor));
            var fullMs = sw.Elapsed.TotalMilliseconds;

            (rootId, _) = await BuildTreeAsync(writes, caller.Developer.Id, agent.Id, size, fanOut, extraRoot: false);
            var inner = 0.0;
            var innerCpu = 0.0;
            sw.Restart();
            var count = await writes.ExecuteAsync(async (WriteContext ctx) =>
            {
                var started = Stopwatch.GetTimestamp();
                var cpuStarted = ThreadCpu.Milliseconds();
#pragma warning disable EF1002 // bench only: a constant statement with parameters
                var rows = await ctx.Db.Database.SqlQueryRaw<RevokedGrantRow>(
                    UpdateReturning, caller.Developer.Id, rootId, Cursor.FromTime(ctx.Now), "bench").ToListAsync();
#pragma warning restore EF1002
                inner = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                innerCpu = ThreadCpu.Milliseconds() - cpuStarted;
                return rows.Count;
            });
            var commandMs = sw.Elapsed.TotalMilliseconds;

            sw.Restart();
            await writes.ExecuteAsync(_ => Task.FromResult(0));
            var emptyMs = sw.Elapsed.TotalMilliseconds;

            // The same statement without RETURNING (what SQLite alone costs), and with RETURNING read by a plain data reader.
            (rootId, _) = await BuildTreeAsync(writes, caller.Developer.Id, agent.Id, size, fanOut, extraRoot: false);
            var noReturningCpu = 0.0;
            await writes.ExecuteAsync(async (WriteContext ctx) =>
            {
                var cpuStarted = ThreadCpu.Milliseconds();
#pragma warning disable EF1002 // bench only: a constant statement with parameters
                var n = await ctx.Db.Database.ExecuteSqlRawAsync(GrantTreeSql.RevokeByRootNoReturning, caller.Developer.Id, rootId, Cursor.FromTime(ctx.Now), "bench");
#pragma warning restore EF1002
                noReturningCpu = ThreadCpu.Milliseconds() - cpuStarted;
                return n;
            });
            (rootId, _) = await BuildTreeAsync(writes, caller.Developer.Id, agent.Id, size, fanOut, extraRoot: false);
            var readerCpu = 0.0;
            await writes.ExecuteAsync(async (WriteContext ctx) =>
            {
                if (BenchHost.Postgres is not null)
                {
                    return 0; // the data-reader comparison is SQLite's ($name parameters)
                }

                var cpuStarted = ThreadCpu.Milliseconds();
                var connection = ctx.Db.Database.GetDbConnection();
                await using var command = connection.CreateCommand();
                command.Transaction = ctx.Db.Database.CurrentTransaction?.GetDbTransaction();
                command.CommandText = UpdateReturning.Replace("{0}", "$d", StringComparison.Ordinal).Replace("{1}", "$r", StringComparison.Ordinal)
                    .Replace("{2}", "$t", StringComparison.Ordinal).Replace("{3}", "$b", StringComparison.Ordinal);
                foreach (var (name, value) in new (string, object)[] { ("$d", caller.Developer.Id), ("$r", rootId), ("$t", Cursor.FromTime(ctx.Now)), ("$b", "bench") })
                {
                    var p = command.CreateParameter();
                    p.ParameterName = name;
                    p.Value = value;
                    command.Parameters.Add(p);
                }

                var list = new List<RevokedGrantRow>();
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        list.Add(new RevokedGrantRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2)));
                    }
                }

                readerCpu = ThreadCpu.Milliseconds() - cpuStarted;
                return list.Count;
            });
            cpuNoReturning.Add(noReturningCpu);
            cpuReader.Add(readerCpu);

            (rootId, _) = await BuildTreeAsync(writes, caller.Developer.Id, agent.Id, size, fanOut, extraRoot: false);
            var revokerMs = 0.0;
            double cpu0 = 0, cpu1 = 0, cpu2 = 0, cpu3 = 0;
            sw.Restart();
            await writes.ExecuteAsync(async (WriteContext ctx) =>
            {
                // Thread CPU at: start, revoker returned, committed (the first after-commit action), index updated (the last).
                cpu0 = ThreadCpu.Milliseconds();
                ctx.AfterCommit(() => cpu2 = ThreadCpu.Milliseconds());
                var started = Stopwatch.GetTimestamp();
                var rows = await revoker.RevokeTreeAsync(ctx, caller.Developer.Id, rootId, caller.Actor, "revoked");
                revokerMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                cpu1 = ThreadCpu.Milliseconds();
                ctx.AfterCommit(() => cpu3 = ThreadCpu.Milliseconds());
                return rows.Count;
            });
            var revokerCommandMs = sw.Elapsed.TotalMilliseconds;

            // The revoker's steps one by one (writer-thread CPU): the grant lookup, the statement, the event, the audit entry.
            (rootId, _) = await BuildTreeAsync(writes, caller.Developer.Id, agent.Id, size, fanOut, extraRoot: false);
            await writes.ExecuteAsync(async (WriteContext ctx) =>
            {
                var t0 = ThreadCpu.Milliseconds();
                var grant = await ctx.Db.Grants.AsNoTracking().FirstAsync(g => g.Id == rootId && g.DeveloperId == caller.Developer.Id);
                var t1 = ThreadCpu.Milliseconds();
                // What the revoker does: on SQLite the rows as one aggregated string, then the UPDATE without RETURNING;
                // on PostgreSQL one statement (its "rows listed" step is empty).
                List<RevokedGrantRow> rows;
                double t15;
                if (BenchHost.Postgres is null)
                {
                    rows = GrantTreeSql.RevokedRows((await ctx.Db.Database.SqlQueryRaw<string>(GrantTreeSql.ListByRootSqlite, caller.Developer.Id, rootId).ToListAsync()).Single());
                    t15 = ThreadCpu.Milliseconds();
                    await ctx.Db.Database.ExecuteSqlRawAsync(GrantTreeSql.RevokeByRootNoReturning, caller.Developer.Id, rootId, Cursor.FromTime(ctx.Now), "bench");
                }
                else
                {
                    t15 = ThreadCpu.Milliseconds();
                    rows = GrantTreeSql.RevokedRows((await ctx.Db.Database.SqlQueryRaw<string>(
                        GrantTreeSql.RevokeAggregatedPostgres(null), caller.Developer.Id, rootId, Cursor.FromTime(ctx.Now), "bench").ToListAsync()).Single());
                }

                var t2 = ThreadCpu.Milliseconds();
                var ids = rows.Select(r => r.Id).Where(id => id != grant.Id).Prepend(grant.Id).ToList();
                ctx.Emit(new EventDraft(grant.DeveloperId, EventTypes.GrantRevoked, new GrantRevokedData(grant.Id, true, ids, "bench")));
                var t3 = ThreadCpu.Milliseconds();
                await ctx.AppendAuditAsync(AuditDraft.For(grant.AuditSubject, AuditActions.GrantRevoked, "bench",
                    AuditMetadata.With("cascade", true).And("reason", "bench").And("revokedGrants", rows.Count)));
                var t4 = ThreadCpu.Milliseconds();
                if (run > 0)
                {
                    phaseLookup.Add(t1 - t0);
                    phaseList.Add(t15 - t1);
                    phaseStatement.Add(t2 - t15);
                    phaseEvent.Add(t3 - t2);
                    phaseAudit.Add(t4 - t3);
                }

                return rows.Count;
            });
            if (count != size)
            {
                throw new InvalidOperationException($"Expected {size} rows, got {count}.");
            }

            if (run == 0)
            {
                continue;
            }

            full.Add(fullMs);
            statement.Add(inner);
            command.Add(commandMs);
            empty.Add(emptyMs);
            inRevoker.Add(revokerMs);
            revokerCommand.Add(revokerCommandMs);
            Report.Run("cascade-breakdown", run, $"whole revoke {Report.F(fullMs)} ms; bare UPDATE…RETURNING {Report.F(inner)} ms in a command of {Report.F(commandMs)} ms; empty command {Report.F(emptyMs)} ms; " +
                $"GrantRevoker.RevokeTreeAsync {Report.F(revokerMs)} ms in a command of {Report.F(revokerCommandMs)} ms; " +
                $"writer thread CPU: revoker {Report.F(cpu1 - cpu0)} ms, save + commit {Report.F(cpu2 - cpu1)} ms, after commit {Report.F(cpu3 - cpu2)} ms");
            cpuStatement.Add(innerCpu);
            cpuRevoker.Add(cpu1 - cpu0);
            cpuCommit.Add(cpu2 - cpu1);
            cpuAfter.Add(cpu3 - cpu2);
        }

        if (Environment.GetEnvironmentVariable("GRANTEX_BENCH_SNAPSHOT") is { Length: > 0 } snapshot && BenchHost.Postgres is null)
        {
            // A copy with one more live tree, for looking at plans and trying schema changes outside the server.
            await BuildTreeAsync(writes, caller.Developer.Id, agent.Id, size, fanOut, extraRoot: false);
            await using var db = await host.DbAsync();
#pragma warning disable EF1002 // bench only: the path comes from the person running it
            await db.Database.ExecuteSqlRawAsync($"VACUUM INTO '{snapshot.Replace("'", "''", StringComparison.Ordinal)}'");
#pragma warning restore EF1002
        }

        Console.WriteLine($"  [cascade-breakdown] {BenchHost.Engine} medians: whole {Report.F(Report.Median(full))} ms, statement {Report.F(Report.Median(statement))} ms, " +
            $"statement command {Report.F(Report.Median(command))} ms, empty command {Report.F(Report.Median(empty))} ms, " +
            $"RevokeTreeAsync {Report.F(Report.Median(inRevoker))} ms in a command of {Report.F(Report.Median(revokerCommand))} ms; " +
            $"writer CPU: bare statement {Report.F(Report.Median(cpuStatement))} ms (no RETURNING {Report.F(Report.Median(cpuNoReturning))} ms, data reader {Report.F(Report.Median(cpuReader))} ms), revoker {Report.F(Report.Median(cpuRevoker))} ms, save + commit {Report.F(Report.Median(cpuCommit))} ms, after commit {Report.F(Report.Median(cpuAfter))} ms");
        Console.WriteLine($"  [cascade-breakdown] the revoker's steps, writer CPU medians: grant lookup {Report.F(Report.Median(phaseLookup))} ms, " +
            $"rows listed (aggregated) {Report.F(Report.Median(phaseList))} ms, UPDATE {Report.F(Report.Median(phaseStatement))} ms, event (10,000 ids) {Report.F(Report.Median(phaseEvent))} ms, audit entry {Report.F(Report.Median(phaseAudit))} ms");
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
