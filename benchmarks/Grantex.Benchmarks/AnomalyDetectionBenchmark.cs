using System.Diagnostics;
using Grantex.Core.Anomalies;
using Grantex.Core.Consent;
using Grantex.Core.Grants;
using Microsoft.Extensions.Options;

namespace Grantex.Benchmarks;

/// <summary>
/// Does background anomaly detection slow issuance? Authorize + code exchange pairs by many callers, on two hosts side by
/// side: one without the detector, one with it running (every grant.created / token.issued wakes it). Rounds alternate
/// between the hosts so that machine load hits both alike; the ratio of medians is the cost. A coalesce of
/// zero is the worst case (a pass starts as soon as the previous one ends).
/// </summary>
internal static class AnomalyDetectionBenchmark
{
    public static async Task RunAsync(int runs, TimeSpan coalesce, int perRun = 1500, int callers = 32)
    {
        await using var off = await BenchHost.StartAsync();
        await using var on = await BenchHost.StartAsync();
        on.Get<IOptions<AnomalyOptions>>().Value.Coalesce = coalesce;
        var detector = on.Get<AnomalyDetector>();
        await detector.StartAsync(CancellationToken.None);

        var rates = new Dictionary<string, List<double>> { ["off"] = [], ["on"] = [] };
        for (var run = 0; run <= runs; run++)
        {
            foreach (var (name, host) in new[] { ("off", off), ("on", on) })
            {
                var rate = await RoundAsync(host, run == 0 ? 200 : perRun, callers);
                if (run > 0)
                {
                    rates[name].Add(rate);
                    Report.Run("issuance, detector " + name, run, $"{perRun} authorize+exchange pairs by {callers} callers = {Report.F(rate)} pairs/s");
                }
            }
        }

        await detector.StopAsync(CancellationToken.None);
        var offMedian = Report.Median(rates["off"]);
        var onMedian = Report.Median(rates["on"]);
        Console.WriteLine($"  detector passes during the runs: {detector.Passes}; coalesce {coalesce.TotalMilliseconds} ms");
        Console.WriteLine($"  median pairs/s: off {Report.F(offMedian)}, on {Report.F(onMedian)}; on/off = {Report.F(onMedian / offMedian, "N3")}");
    }

    private static async Task<double> RoundAsync(BenchHost host, int count, int callers)
    {
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var authorization = host.Get<AuthorizationService>();
        var exchange = host.Get<ExchangeService>();
        var left = count;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
            {
                var code = BenchHost.Ok(await authorization.AuthorizeAsync(caller,
                    new AuthorizeInput(agent.Id, "user_" + (left % 50), ["read"], null, null, "24h", null, null, null))).Code!;
                BenchHost.Ok(await exchange.ExchangeAsync(caller, code, agent.Id, null));
            }
        })));
        return count / sw.Elapsed.TotalSeconds;
    }
}
