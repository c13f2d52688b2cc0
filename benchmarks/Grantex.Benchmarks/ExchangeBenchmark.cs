using System.Collections.Concurrent;
using System.Diagnostics;
using Grantex.Core.Consent;
using Grantex.Core.Tokens;

namespace Grantex.Benchmarks;

/// <summary>
/// Code exchange in process (TokenService.ExchangeAsync): many concurrent callers, sandbox developer, codes made
/// beforehand through AuthorizationService. Each exchange is a durable write (grant, token, refresh token, audit
/// entry, code consumed) plus an RS256 signature.
/// </summary>
internal static class ExchangeBenchmark
{
    public static async Task RunAsync(int runs, int perRun = 3000, int callers = 64)
    {
        await using var host = await BenchHost.StartAsync();
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        var authorization = host.Get<AuthorizationService>();
        var tokens = host.Get<TokenService>();

        var rates = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var codes = new ConcurrentQueue<string>();
            await Parallel.ForEachAsync(Enumerable.Range(0, run == 0 ? 500 : perRun), new ParallelOptions { MaxDegreeOfParallelism = callers }, async (_, ct) =>
            {
                var result = BenchHost.Ok(await authorization.AuthorizeAsync(caller,
                    new AuthorizeInput(agent.Id, "user_bench", ["read", "write"], null, null, "24h", null, null, null), ct));
                codes.Enqueue(result.Code!);
            });

            var count = codes.Count;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                while (codes.TryDequeue(out var code))
                {
                    BenchHost.Ok(await tokens.ExchangeAsync(caller, code, agent.Id, null));
                }
            })));
            sw.Stop();
            if (run == 0)
            {
                continue; // warm-up round
            }

            var rate = count / sw.Elapsed.TotalSeconds;
            rates.Add(rate);
            Report.Run("exchange", run, $"{count} exchanges by {callers} callers in {Report.F(sw.Elapsed.TotalMilliseconds, "N0")} ms = {Report.F(rate)} exchanges/s");
        }

        Report.Summary("token exchange", "exchanges/s", rates, 2_500, higherIsBetter: true);
    }
}
