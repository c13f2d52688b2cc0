using System.Diagnostics;
using System.IO.Compression;
using Grantex.Core.Audit;
using Grantex.Core.Compliance;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

/// <summary>Where the pack's time goes: the same stages, added one at a time (printed with "breakdown").</summary>
internal static class Breakdown
{
    public static async Task RunAsync(IDbContextFactory<GrantexDbContext> factory, string developerId)
    {
        for (var i = 0; i < 3; i++)
        {
            await RawAsync(factory, developerId);
        }

        await StageAsync("read rows (EF, no tracking)", factory, developerId, (_, _) => Task.CompletedTask);
        await StageAsync("read rows (EF, no tracking)", factory, developerId, (_, _) => Task.CompletedTask);
        await StageAsync("+ chain walk (hash recomputed)", factory, developerId, (e, w) => { w.Walker.Feed(e); return Task.CompletedTask; });
        await StageAsync("+ JSON lines (to a null stream)", factory, developerId, async (e, w) =>
        {
            w.Walker.Feed(e);
            ComplianceJson.WriteAuditEntry(w.Json.Json, e);
            await w.Json.EndLineAsync(CancellationToken.None);
        });
        await StageAsync("+ deflate (Fastest)", factory, developerId, async (e, w) =>
        {
            w.Walker.Feed(e);
            ComplianceJson.WriteAuditEntry(w.Compressed.Json, e);
            await w.Compressed.EndLineAsync(CancellationToken.None);
        });
    }

    private static async Task StageAsync(string name, IDbContextFactory<GrantexDbContext> factory, string developerId, Func<AuditEntry, Work, Task> each)
    {
        await using var db = await factory.CreateDbContextAsync();
        var deflate = new DeflateStream(Stream.Null, CompressionLevel.Fastest);
        var work = new Work(new ChainWalker(), new JsonStreamWriter(Stream.Null), new JsonStreamWriter(deflate));
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long rows = 0;
        await foreach (var e in db.AuditEntries.AsNoTracking().Where(x => x.DeveloperId == developerId).OrderBy(x => x.ChainIndex).AsAsyncEnumerable())
        {
            await each(e, work);
            rows++;
        }

        await work.Compressed.FlushAsync(CancellationToken.None);
        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"  {name,-36} {clock.Elapsed.TotalSeconds,6:F2} s (CPU {cpu.TotalSeconds:F2} s) for {rows:N0} rows");
    }

    private static async Task RawAsync(IDbContextFactory<GrantexDbContext> factory, string developerId)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT Id, ChainIndex, AgentId, AgentDid, GrantId, PrincipalId, DeveloperId, Action, MetadataJson, Timestamp, PrevHash, Hash, Status FROM audit_entries WHERE DeveloperId = $d ORDER BY ChainIndex";
        var p = command.CreateParameter();
        p.ParameterName = "$d";
        p.Value = developerId;
        command.Parameters.Add(p);
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long rows = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            _ = new AuditEntry
            {
                Id = reader.GetString(0), ChainIndex = reader.GetInt64(1), AgentId = reader.GetString(2), AgentDid = reader.GetString(3),
                GrantId = reader.GetString(4), PrincipalId = reader.GetString(5), DeveloperId = reader.GetString(6), Action = reader.GetString(7),
                MetadataJson = reader.GetString(8), Timestamp = DateTime.UnixEpoch.AddMilliseconds(reader.GetInt64(9)),
                PrevHash = reader.IsDBNull(10) ? null : reader.GetString(10), Hash = reader.GetString(11), Status = reader.GetString(12),
            };
            rows++;
        }

        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"  {"read rows (raw SqliteDataReader)",-36} {clock.Elapsed.TotalSeconds,6:F2} s (CPU {cpu.TotalSeconds:F2} s) for {rows:N0} rows");
    }

    private sealed record Work(ChainWalker Walker, JsonStreamWriter Json, JsonStreamWriter Compressed);
}
