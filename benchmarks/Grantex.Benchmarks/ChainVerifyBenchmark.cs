using System.Diagnostics;
using Grantex.Core.Audit;
using Grantex.Core.Compliance;
using Grantex.Core.Persistence;

namespace Grantex.Benchmarks;

/// <summary>
/// Verification of a 1,000,000-entry chain (AuditService.VerifyChainAsync), with the managed heap and working set
/// sampled during the walk; a 100,000-entry chain is walked too, to show memory does not grow with the length.
/// </summary>
internal static class ChainVerifyBenchmark
{
    public static async Task RunAsync(int runs, int size = 1_000_000)
    {
        await using var host = await BenchHost.StartAsync();
        var audit = host.Get<AuditService>();
        var big = await host.DeveloperAsync();
        var small = await host.DeveloperAsync();

        var setup = Stopwatch.StartNew();
        await FillAsync(host.Get<WriteQueue>(), big.Developer.Id, size - 1);
        await FillAsync(host.Get<WriteQueue>(), small.Developer.Id, (size / 10) - 1);
        Console.WriteLine($"  setup: {size + (size / 10)} entries inserted in {Report.F(setup.Elapsed.TotalSeconds)} s; database {new FileInfo(host.DatabasePath).Length / 1_048_576} MB");

        // GET /v1/audit/verify reads through ComplianceService (walk + signed-checkpoint check): give the chain a checkpoint.
        var compliance = host.Get<ComplianceService>();
        BenchHost.Ok(await host.Get<CheckpointService>().CreateAsync(big.Developer.Id));
        BenchHost.Ok(await host.Get<CheckpointService>().CreateAsync(small.Developer.Id));
        async Task<(bool, long, string?)> Walk(string developerId)
        {
            var r = await audit.VerifyChainAsync(developerId);
            return (r.Valid, r.CheckedEntries, r.Detail);
        }

        async Task<(bool, long, string?)> Api(string developerId)
        {
            var r = await compliance.VerifyChainAsync(developerId);
            return (r.Valid && r.Checkpoints.All(c => c.Outcome == CheckpointOutcome.Consistent) && r.Checkpoints.Count == 1, r.CheckedEntries, r.Detail);
        }

        await Walk(small.Developer.Id); // warm-up
        await Api(small.Developer.Id);
        foreach (var (name, verify) in new[] { ("verify-chain", (Func<string, Task<(bool, long, string?)>>)Walk), ("audit-verify (API path, with checkpoint)", Api) })
        {
            var times = new List<double>();
            for (var run = 1; run <= runs; run++)
            {
                var (smallTime, smallHeap, smallWs, _, _) = await MeasureAsync(verify, small.Developer.Id, size / 10);
                var (time, heap, ws, allocated, cpu) = await MeasureAsync(verify, big.Developer.Id, size);
                times.Add(time);
                Report.Run(name, run,
                    $"{size} entries in {Report.F(time, "N0")} ms, CPU {Report.F(cpu, "N0")} ms (peak managed heap +{heap / 1_048_576.0:N1} MB, working set +{ws / 1_048_576.0:N1} MB, allocated {allocated / 1_048_576.0:N1} MB in total); " +
                    $"{size / 10} entries in {Report.F(smallTime, "N0")} ms (peak heap +{smallHeap / 1_048_576.0:N1} MB, working set +{smallWs / 1_048_576.0:N1} MB)");
            }

            Report.Summary(name + " 1,000,000 entries", "ms", times, 1_500, higherIsBetter: false);
        }
    }

    private static async Task<(double Ms, long PeakHeapDelta, long PeakWorkingSetDelta, long Allocated, double CpuMs)> MeasureAsync(
        Func<string, Task<(bool Valid, long Checked, string? Detail)>> verify, string developerId, long expected)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var heapBase = GC.GetTotalMemory(false);
        var wsBase = process.WorkingSet64;
        long peakHeap = heapBase, peakWs = wsBase;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                process.Refresh();
                peakWs = Math.Max(peakWs, process.WorkingSet64);
                await Task.Delay(5);
            }
        });

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = await verify(developerId);
        sw.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await stop.CancelAsync();
        await sampler;
        if (!result.Valid || result.Checked != expected)
        {
            throw new InvalidOperationException($"Verification failed: {result.Detail} ({result.Checked}/{expected}).");
        }

        return (sw.Elapsed.TotalMilliseconds, peakHeap - heapBase, peakWs - wsBase, allocated, cpu);
    }

    /// <summary>Appends through the chain heads (real hashes and links) in large commands: setup, not measured.</summary>
    internal static async Task FillAsync(WriteQueue writes, string developerId, int count)
    {
        const int chunk = 20_000;
        for (var done = 0; done < count; done += chunk)
        {
            var n = Math.Min(chunk, count - done);
            await writes.ExecuteAsync(async ctx =>
            {
                for (var i = 0; i < n; i++)
                {
                    await ctx.AppendAuditAsync(new AuditDraft(developerId, "ag_bench", "did:grantex:ag_bench", "grnt_bench", "user_bench",
                        "tool.invoked", $$"""{"i":{{done + i}},"tool":"calendar.list"}""", AuditDraft.Success, "bench"));
                }

                return 0;
            });
        }
    }
}
