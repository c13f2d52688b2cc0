using System.Diagnostics;
using Grantex.Core.Audit;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Benchmarks;

/// <summary>Where the time of a chain verification goes: reading rows, recomputing hashes, and the whole walk.</summary>
internal static class ChainBreakdown
{
    public static async Task RunAsync(int size = 300_000)
    {
        await using var host = await BenchHost.StartAsync();
        var developer = await host.DeveloperAsync();
        await ChainVerifyBenchmark.FillAsync(host.Get<WriteQueue>(), developer.Developer.Id, size - 1);
        var id = developer.Developer.Id;
        await host.Get<AuditService>().VerifyChainAsync(id); // warm-up

        for (var run = 1; run <= 3; run++)
        {
            var sw = Stopwatch.StartNew();
            await using (var db = await host.DbAsync())
            {
                var n = 0;
                await foreach (var e in db.AuditEntries.AsNoTracking().Where(e => e.DeveloperId == id).OrderBy(e => e.ChainIndex).AsAsyncEnumerable())
                {
                    n += e.Id.Length > 0 ? 1 : 0;
                }
            }

            var read = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            await using (var db = await host.DbAsync())
            {
                await db.Database.OpenConnectionAsync();
                await using var cmd = db.Database.GetDbConnection().CreateCommand();
                cmd.CommandText = "SELECT \"Id\", \"ChainIndex\", \"AgentId\", \"AgentDid\", \"GrantId\", \"PrincipalId\", \"Action\", \"MetadataJson\", \"Timestamp\", \"PrevHash\", \"Hash\", \"Status\" FROM audit_entries WHERE \"DeveloperId\" = $d ORDER BY \"ChainIndex\"";
                var p = cmd.CreateParameter();
                p.ParameterName = "$d";
                p.Value = id;
                cmd.Parameters.Add(p);
                await using var reader = await cmd.ExecuteReaderAsync();
                var n = 0L;
                while (await reader.ReadAsync())
                {
                    n += reader.GetString(0).Length + reader.GetInt64(1) + reader.GetString(2).Length + reader.GetString(3).Length + reader.GetString(4).Length
                        + reader.GetString(5).Length + reader.GetString(6).Length + reader.GetString(7).Length + reader.GetInt64(8)
                        + (reader.IsDBNull(9) ? 0 : reader.GetString(9).Length) + reader.GetString(10).Length + reader.GetString(11).Length;
                }
            }

            var raw = sw.Elapsed.TotalMilliseconds;
            List<AuditEntry> sample;
            await using (var db = await host.DbAsync())
            {
                sample = await db.AuditEntries.AsNoTracking().Where(e => e.DeveloperId == id).OrderBy(e => e.ChainIndex).Take(100_000).ToListAsync();
            }

            sw.Restart();
            foreach (var e in sample)
            {
                AuditHash.Compute(AuditHashInput.From(e));
            }

            var hash = sw.Elapsed.TotalMilliseconds * size / sample.Count;
            var utf8 = sample.Select(e => new[] { e.Id, e.AgentId, e.AgentDid, e.GrantId, e.PrincipalId, e.DeveloperId, e.Action, e.MetadataJson, e.PrevHash ?? "", e.Status }
                .Select(System.Text.Encoding.UTF8.GetBytes).ToArray()).ToList();
            var times = sample.Select(e => Grantex.Core.Common.TimeFormat.ToUnixMillis(e.Timestamp)).ToArray();
            using var writer = new Utf8AuditHash();
            var hex = new byte[64];
            sw.Restart();
            for (var i = 0; i < utf8.Count; i++)
            {
                var f = utf8[i];
                writer.TryWriteEntry(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], times[i], sample[i].PrevHash is null, f[8], f[9]);
                writer.Finish(hex);
            }

            var rawHash = sw.Elapsed.TotalMilliseconds * size / sample.Count;
            sw.Restart();
            await host.Get<AuditService>().VerifyChainAsync(id);
            var total = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"  [breakdown] run {run}: {size} entries: EF read only {Report.F(read, "N0")} ms; raw ADO.NET read only {Report.F(raw, "N0")} ms; hashing only {Report.F(hash, "N0")} ms " +
                $"({Report.F(hash * 1000 / size, "N2")} µs/entry); UTF-8 hashing only {Report.F(rawHash, "N0")} ms; full VerifyChainAsync {Report.F(total, "N0")} ms");
        }
    }
}
