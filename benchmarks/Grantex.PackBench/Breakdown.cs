using System.Diagnostics;
using System.IO.Compression;
using Grantex.Core.Audit;
using Grantex.Core.Compliance;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Grantex.Core.IO;

/// <summary>Where the pack's CPU goes: the same stages run one after another on one thread, added one at a time.</summary>
internal static class Breakdown
{
    public static async Task RunAsync(IDbContextFactory<GrantexDbContext> factory, string developerId)
    {
        await StageAsync("read rows (hand-mapped reader)", factory, developerId, (_, _) => ValueTask.CompletedTask);

        await StageAsync("read rows (EF, no tracking)", factory, developerId, (_, _) => ValueTask.CompletedTask, ef: true);
        await StageAsync("+ recompute each hash (chain walk)", factory, developerId, (e, w) => { w.Walker.Feed(e); return ValueTask.CompletedTask; });
        await StageAsync("+ JSON lines", factory, developerId, async (e, w) =>
        {
            w.Walker.Feed(e);
            ComplianceJson.WriteAuditEntry(w.Plain.Json, e);
            await w.Plain.EndLineAsync(CancellationToken.None);
        });
        await StageAsync("+ SHA-256 of the file + deflate", factory, developerId, async (e, w) =>
        {
            w.Walker.Feed(e);
            ComplianceJson.WriteAuditEntry(w.Compressed.Json, e);
            await w.Compressed.EndLineAsync(CancellationToken.None);
        });
    }

    private static async Task StageAsync(string name, IDbContextFactory<GrantexDbContext> factory, string developerId, Func<AuditEntry, Work, ValueTask> each, bool ef = false)
    {
        await using var db = await factory.CreateDbContextAsync();
        var deflate = new DeflateStream(Stream.Null, CompressionLevel.Fastest);
        var work = new Work(new ChainWalker(), new JsonStreamWriter(Stream.Null), new JsonStreamWriter(new HashingStream(deflate)));
        var rows = ef
            ? db.AuditEntries.AsNoTracking().Where(x => x.DeveloperId == developerId).OrderBy(x => x.ChainIndex).AsAsyncEnumerable()
            : AuditEntryReader.ReadAsync(db, developerId, null, null, CancellationToken.None);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long count = 0;
        await foreach (var e in rows)
        {
            await each(e, work);
            count++;
        }

        await work.Compressed.FlushAsync(CancellationToken.None);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"  {name,-38} {clock.Elapsed.TotalSeconds,6:F2} s (CPU {cpu.TotalSeconds:F2} s) for {count:N0} rows");
    }

    private sealed record Work(ChainWalker Walker, JsonStreamWriter Plain, JsonStreamWriter Compressed);
}
