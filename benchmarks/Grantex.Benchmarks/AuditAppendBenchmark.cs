using System.Diagnostics;
using System.Text.Json;
using Grantex.Core.Audit;

namespace Grantex.Benchmarks;

/// <summary>
/// Audit appends through AuditService.LogAsync from 16 concurrent writers, then a full chain verification. With
/// <c>inFlight</c> 1 every writer waits for each append to be durable before the next (at most 16 per commit); with
/// more, each writer keeps that many appends outstanding, as 16 busy clients sending concurrent requests would.
/// </summary>
internal static class AuditAppendBenchmark
{
    public static async Task RunAsync(int runs, int inFlight = 1, int writers = 16, int perWriter = 5_000)
    {
        await using var host = await BenchHost.StartAsync();
        var audit = host.Get<AuditService>();
        var metadata = JsonSerializer.SerializeToElement(new { tool = "calendar.list", durationMs = 12, ok = true });

        var rates = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var caller = await host.DeveloperAsync();
            var per = run == 0 ? 500 : perWriter;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                var input = new AuditLogInput("ag_bench", "did:grantex:ag_bench", "grnt_bench", $"user_{w}", "tool.invoked", null, metadata);
                for (var i = 0; i < per; i += inFlight)
                {
                    var pending = Enumerable.Range(0, Math.Min(inFlight, per - i)).Select(_ => audit.LogAsync(caller, input)).ToList();
                    foreach (var result in await Task.WhenAll(pending))
                    {
                        BenchHost.Ok(result);
                    }
                }
            })));
            sw.Stop();
            var cpuPerOp = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / (writers * per);
            var verification = await audit.VerifyChainAsync(caller.Developer.Id);
            var expected = 1 + (writers * per); // + developer.created
            if (!verification.Valid || verification.CheckedEntries != expected)
            {
                throw new InvalidOperationException($"Chain broken after concurrent appends: {verification.Detail} ({verification.CheckedEntries}/{expected}).");
            }

            if (run == 0)
            {
                continue; // warm-up round
            }

            var rate = writers * per / sw.Elapsed.TotalSeconds;
            rates.Add(rate);
            Report.Run("audit-append", run, $"{writers * per} appends by {writers} writers ({inFlight} in flight each) in {Report.F(sw.Elapsed.TotalMilliseconds, "N0")} ms = {Report.F(rate)} appends/s, process CPU {Report.F(cpuPerOp)} µs per append; chain intact ({verification.CheckedEntries} entries)");
        }

        Report.Summary($"audit appends, {writers} writers, {inFlight} in flight each", "appends/s", rates, 50_000, higherIsBetter: true);
    }
}
