using System.Diagnostics;
using System.Globalization;
using Grantex.Core;
using Grantex.Core.Audit;
using Grantex.Core.Compliance;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Grantex.Core.Jose;

// Seeds N audit entries into one developer's chain (through the single writer, in large batches), signs a
// checkpoint, then times streaming the audit pack to a file and verifying it offline, with peak memory.
// Usage: dotnet run -c Release --project benchmarks/Grantex.PackBench -- [entries=1000000] [work-dir] [once]
// ("once": one pack, no offline verify, for a fresh-process profile)
if (args.Contains("micro"))
{
    Micro.Run();
    return 0;
}

var entries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var directory = args.Length > 1 ? Directory.CreateDirectory(args[1]) : Directory.CreateTempSubdirectory("gx-packbench-");
var database = Path.Combine(directory.FullName, "grantex.db");
var fresh = !File.Exists(database);
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:Grantex"] = $"Data Source={database}",
    ["Grantex:DataProtection:KeysPath"] = Path.Combine(directory.FullName, "keys"),
    ["Grantex:Compliance:CheckpointInterval"] = "00:00:00",
}).Build();
var services = new ServiceCollection().AddLogging().AddGrantexCore(configuration).BuildServiceProvider();
await services.InitializeGrantexAsync();
var writes = services.GetRequiredService<WriteQueue>();
await writes.StartAsync(CancellationToken.None);

string developerId;
if (fresh)
{
    var created = await services.GetRequiredService<DeveloperService>().CreateAsync("Bench", DeveloperMode.Live);
    developerId = created.Value!.Developer.Id;
    var seed = Stopwatch.StartNew();
    const int batch = 20_000;
    for (var done = 1; done < entries; done += batch)
    {
        var count = Math.Min(batch, entries - done);
        var start = done;
        await writes.ExecuteAsync(async ctx =>
        {
            for (var i = 0; i < count; i++)
            {
                var n = start + i;
                await ctx.AppendAuditAsync(new AuditDraft(developerId, "ag_01JBENCHAGENT000000000000" + (n % 7), "did:grantex:ag_01JBENCHAGENT000000000000" + (n % 7),
                    "grnt_01JBENCHGRANT0000000000000", "user_" + (n % 1000), n % 10 == 0 ? "payment.initiated" : "tool.invoked",
                    $"{{\"amount\":{n % 500},\"n\":{n},\"tool\":\"search\"}}", n % 50 == 0 ? AuditDraft.Failure : AuditDraft.Success, "bench"));
            }

            return count;
        });
    }

    Console.WriteLine($"seeded {entries:N0} entries in {seed.Elapsed.TotalSeconds:F1} s");
    await services.GetRequiredService<CheckpointService>().CreateAsync(developerId);
}
else
{
    await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
    developerId = db.Developers.Select(d => d.Id).First();
    Console.WriteLine($"reusing {database}");
}

if (args.Contains("readmicro"))
{
    ReadMicro.Run(database, developerId);
    return 0;
}

if (args.Contains("breakdown"))
{
    await Breakdown.RunAsync(services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<GrantexDbContext>>(), developerId);
}

var packPath = Path.Combine(directory.FullName, "pack.zip");
var runs = args.Contains("breakdown") || args.Contains("once") ? 1 : 3;
for (var run = 1; run <= runs; run++)
{
    var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
    var jitTime = System.Runtime.JitInfo.GetCompilationTime();
    var phases = new Phases();
    var (elapsed, baseline, peak, heapPeak, cpu) = await MeasureAsync(async () =>
    {
        await using var file = new FileStream(packPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        phases.Start();
        var result = await services.GetRequiredService<AuditPackWriter>().WriteAsync(developerId, ComplianceFilter.None, file, "bench", phases);
        if (!result.Verification.Valid)
        {
            throw new InvalidOperationException("The seeded chain did not verify: " + result.Verification.Detail);
        }
    });
    Console.WriteLine($"pack  run {run}: {elapsed.TotalSeconds:F2} s (CPU {cpu.TotalSeconds:F2} s), {new FileInfo(packPath).Length / 1048576.0:F1} MB zip; " +
        $"working set {Mb(baseline)} MB before, peak {Mb(peak)} MB (+{Mb(peak - baseline)} MB); managed heap peak {Mb(heapPeak)} MB; " +
        $"JIT {System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods} methods, {(System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds:F0} ms");
    Console.WriteLine($"  phases: first {Phases.Every:N0} entries read at {phases.First:F2} s, entries file complete at {phases.Last:F2} s, pack done at {elapsed.TotalSeconds:F2} s");
}

if (args.Contains("once"))
{
    await writes.StopAsync(CancellationToken.None);
    return 0;
}

var (verifyTime, verifyBase, verifyPeak, verifyHeap, verifyCpu) = await MeasureAsync(async () =>
{
    await using var file = File.OpenRead(packPath);
    var verdict = await AuditPackVerifier.VerifyAsync(file, JwksKeys.Document(services.GetRequiredService<Grantex.Core.Keys.SigningKeyStore>().Jwks));
    Console.WriteLine($"verify: {verdict.Summary} ({verdict.Entries:N0} entries)");
});
Console.WriteLine($"verify: {verifyTime.TotalSeconds:F2} s (CPU {verifyCpu.TotalSeconds:F2} s); working set {Mb(verifyBase)} MB before, peak {Mb(verifyPeak)} MB (+{Mb(verifyPeak - verifyBase)} MB); managed heap peak {Mb(verifyHeap)} MB");
await writes.StopAsync(CancellationToken.None);
return 0;

static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

// Runs work after a full GC, resetting the kernel's peak-RSS mark (VmHWM) so the peak belongs to this run alone.
static async Task<(TimeSpan Elapsed, long Baseline, long Peak, long HeapPeak, TimeSpan Cpu)> MeasureAsync(Func<Task> work)
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    File.WriteAllText("/proc/self/clear_refs", "5");
    var baseline = ReadStatus("VmRSS");
    long heapPeak = 0;
    using var stop = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            heapPeak = Math.Max(heapPeak, GC.GetGCMemoryInfo().HeapSizeBytes);
            heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
            await Task.Delay(10);
        }
    });
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var started = Stopwatch.GetTimestamp();
    await work();
    clock.Stop();
    if (Environment.GetEnvironmentVariable("GX_PERF_WINDOW") is not null)
    {
        // CLOCK_MONOTONIC seconds, to cut a `perf record -k CLOCK_MONOTONIC` profile to this run.
        Console.WriteLine($"perf window {started / (double)Stopwatch.Frequency:F6} {Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:F6}");
    }
    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    stop.Cancel();
    await sampler;
    return (clock.Elapsed, baseline, ReadStatus("VmHWM"), heapPeak, cpu);
}

static long ReadStatus(string field)
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

/// <summary>
/// When the entries file started and stopped streaming, from the writer's progress reports (made synchronously on the
/// reading stage, every 10,000 entries and once at the end): before the first is the pack's set-up (snapshot,
/// checkpoints, zip), after the last the pipeline's drain and the small files, manifest and signature.
/// </summary>
internal sealed class Phases : IProgress<long>
{
    public const int Every = 10_000;
    private long _started;

    public double First { get; private set; }

    public double Last { get; private set; }

    public void Start() => _started = Stopwatch.GetTimestamp();

    public void Report(long value)
    {
        var at = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        if (First == 0)
        {
            First = at;
        }

        Last = at;
    }
}
