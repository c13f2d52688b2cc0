using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Grantex.Core.Grants;
using Grantex.Core.Consent;
using Grantex.Core.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Benchmarks;

/// <summary>
/// Code exchange in process (ExchangeService.ExchangeAsync): many concurrent callers, sandbox developer, codes made
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
        var tokens = host.Get<ExchangeService>();

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
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                while (codes.TryDequeue(out var code))
                {
                    BenchHost.Ok(await tokens.ExchangeAsync(caller, code, agent.Id, null));
                }
            })));
            sw.Stop();
            var cpuPerOp = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count;
            if (run == 0)
            {
                continue; // warm-up round
            }

            var rate = count / sw.Elapsed.TotalSeconds;
            rates.Add(rate);
            Report.Run("exchange", run, $"{count} exchanges by {callers} callers in {Report.F(sw.Elapsed.TotalMilliseconds, "N0")} ms = {Report.F(rate)} exchanges/s; process CPU {Report.F(cpuPerOp, "N0")} µs per exchange");
        }

        Report.Summary("token exchange", "exchanges/s", rates, 2_500, higherIsBetter: true);
        SignOnly();
    }

    /// <summary>The RS256 signature alone, on every core: the ceiling for exchanges if the database cost nothing.</summary>
    private static void SignOnly()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "sk_bench" };
        var claims = Tokens.Claims(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var signed = 0;
        Parallel.For(0, Environment.ProcessorCount, _ =>
        {
            while (sw.Elapsed < TimeSpan.FromSeconds(3))
            {
                GrantTokenIssuer.Sign(claims, key);
                Interlocked.Increment(ref signed);
            }
        });
        var cpuPerSign = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / signed;
        Console.WriteLine($"  [exchange] signing alone on {Environment.ProcessorCount} threads: {Report.F(signed / sw.Elapsed.TotalSeconds)} tokens/s; {Report.F(cpuPerSign, "N0")} µs CPU per signature");
    }
}
