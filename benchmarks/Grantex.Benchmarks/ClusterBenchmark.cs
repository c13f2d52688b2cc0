using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Grantex.Core.Audit;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Grants;

namespace Grantex.Benchmarks;

/// <summary>
/// One node and two nodes on one database (PostgreSQL with GRANTEX_BENCH_POSTGRES; on SQLite only the one-node
/// figures): token exchange, online verification (with the cross-node read barrier on PostgreSQL), audit appends
/// from 16 writers per node, and the revocation staleness window between nodes — how long after node A's revoke
/// returns node B's index knows, and whether a client that revokes on A and then verifies on B ever sees valid:true.
/// </summary>
internal static class ClusterBenchmark
{
    public static async Task RunAsync(int runs)
    {
        Console.WriteLine($"  [cluster] engine {BenchHost.Engine}");
        await using var a = await BenchHost.StartAsync();
        await using var b = BenchHost.Postgres is null ? null : await BenchHost.StartNodeAsync(a.Database);
        var caller = await a.DeveloperAsync();
        var agent = await a.AgentAsync(caller);
        // The caller (the developer an API key authenticated) is plain data; node B's services take it as A's do.

        foreach (var nodes in b is null ? new[] { new[] { a } } : [[a], [a, b]])
        {
            var label = $"{nodes.Length} node{(nodes.Length > 1 ? "s" : "")}";
            await ExchangeAsync(label, nodes, caller, agent.Id, runs);
            await VerifyAsync(label, nodes, caller, agent.Id, runs);
            await AppendAsync(label, nodes, runs);
        }

        if (b is not null)
        {
            await StalenessAsync(a, b, caller, agent.Id);
        }
    }

    private static async Task ExchangeAsync(string label, BenchHost[] nodes, ApiKeyCaller caller, string agentId, int runs, int perRun = 2000, int callers = 64)
    {
        var rates = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var codes = new ConcurrentQueue<string>();
            await Parallel.ForEachAsync(Enumerable.Range(0, run == 0 ? 300 : perRun), new ParallelOptions { MaxDegreeOfParallelism = callers }, async (_, ct) =>
                codes.Enqueue(BenchHost.Ok(await nodes[0].Get<AuthorizationService>().AuthorizeAsync(caller,
                    new AuthorizeInput(agentId, "user_bench", ["read"], null, null, "24h", null, null, null), ct)).Code!));
            var count = codes.Count;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
            {
                var exchange = nodes[c % nodes.Length].Get<ExchangeService>();
                while (codes.TryDequeue(out var code))
                {
                    BenchHost.Ok(await exchange.ExchangeAsync(caller, code, agentId, null));
                }
            })));
            sw.Stop();
            if (run > 0)
            {
                rates.Add(count / sw.Elapsed.TotalSeconds);
                Report.Run("cluster exchange " + label, run, $"{count} exchanges by {callers} callers in {Report.F(sw.Elapsed.TotalMilliseconds, "N0")} ms = {Report.F(rates[^1])} /s");
            }
        }

        Report.Summary($"{BenchHost.Engine} token exchange, {label}", "exchanges/s", rates, 2_500, higherIsBetter: true);
    }

    private static async Task VerifyAsync(string label, BenchHost[] nodes, ApiKeyCaller caller, string agentId, int runs, int callers = 64)
    {
        var issued = BenchHost.Ok(await nodes[0].Get<ExchangeService>().ExchangeAsync(caller,
            BenchHost.Ok(await nodes[0].Get<AuthorizationService>().AuthorizeAsync(caller,
                new AuthorizeInput(agentId, "user_bench", ["read"], null, null, "24h", null, null, null))).Code!, agentId, null));
        var rates = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var done = 0;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
            {
                var verifier = nodes[c % nodes.Length].Get<GrantTokenService>();
                while (sw.Elapsed < TimeSpan.FromSeconds(run == 0 ? 1 : 3))
                {
                    if (!(await verifier.VerifyAsync(caller, issued.GrantToken)).Valid)
                    {
                        throw new InvalidOperationException("A valid token did not verify.");
                    }

                    Interlocked.Increment(ref done);
                }
            })));
            if (run > 0)
            {
                rates.Add(done / sw.Elapsed.TotalSeconds);
                Report.Run("cluster online verify " + label, run, $"{done} verifications by {callers} callers in {Report.F(sw.Elapsed.TotalMilliseconds, "N0")} ms = {Report.F(rates[^1])} /s");
            }
        }

        Report.Summary($"{BenchHost.Engine} online verify (in process), {label}", "verifications/s", rates, 10_000, higherIsBetter: true);
    }

    private static async Task AppendAsync(string label, BenchHost[] nodes, int runs, int writersPerNode = 16, int perWriter = 320, int inFlight = 8)
    {
        var metadata = JsonSerializer.SerializeToElement(new { tool = "calendar.list", ok = true });
        var rates = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var caller = await nodes[0].DeveloperAsync();
            var sw = Stopwatch.StartNew();
            var writers = writersPerNode * nodes.Length;
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                var audit = nodes[w % nodes.Length].Get<AuditService>();
                var input = new AuditLogInput("ag_bench", "did:grantex:ag_bench", "grnt_bench", $"user_{w}", "tool.invoked", null, metadata);
                for (var i = 0; i < perWriter; i += inFlight)
                {
                    foreach (var result in await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => audit.LogAsync(caller, input))))
                    {
                        BenchHost.Ok(result);
                    }
                }
            })));
            sw.Stop();
            var verification = await nodes[0].Get<AuditService>().VerifyChainAsync(caller.Developer.Id);
            if (!verification.Valid || verification.CheckedEntries != 1 + (writers * perWriter))
            {
                throw new InvalidOperationException($"Chain broken: {verification.Detail} ({verification.CheckedEntries}).");
            }

            if (run > 0)
            {
                rates.Add(writers * perWriter / sw.Elapsed.TotalSeconds);
                Report.Run("cluster audit append " + label, run, $"{writers * perWriter} appends by {writers} writers ({inFlight} in flight each) in {Report.F(sw.Elapsed.TotalMilliseconds, "N0")} ms = {Report.F(rates[^1])} /s; chain intact");
            }
        }

        Report.Summary($"{BenchHost.Engine} audit appends, {writersPerNode} writers per node, {label}", "appends/s", rates, 50_000, higherIsBetter: true);
    }

    /// <summary>
    /// Revokes on A, then (1) asks B's verify at once, as a client would — it must say false every time — and (2)
    /// measures when B's in-memory index learnt it without anyone asking (the notification's delivery).
    /// </summary>
    private static async Task StalenessAsync(BenchHost a, BenchHost b, ApiKeyCaller caller, string agentId, int samples = 200)
    {
        var windows = new List<double>();
        var sawValid = 0;
        var verifyAfter = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var issued = BenchHost.Ok(await a.Get<ExchangeService>().ExchangeAsync(caller,
                BenchHost.Ok(await a.Get<AuthorizationService>().AuthorizeAsync(caller,
                    new AuthorizeInput(agentId, "user_bench", ["read"], null, null, "24h", null, null, null))).Code!, agentId, null));
            var index = b.Get<RevocationIndex>();
            BenchHost.Ok(await a.Get<GrantService>().RevokeAsync(caller.Developer.Id, issued.GrantId, "bench"));
            var sw = Stopwatch.StartNew();
            if (i % 2 == 0)
            {
                // A client that revokes and then verifies on the other node.
                var answer = await b.Get<GrantTokenService>().VerifyAsync(caller, issued.GrantToken);
                verifyAfter.Add(sw.Elapsed.TotalMilliseconds);
                if (answer.Valid)
                {
                    sawValid++;
                }
            }
            else
            {
                // Nobody asks: how long until B's index has it from the notification alone.
                while (!index.IsGrantRevoked(issued.GrantId))
                {
                    await Task.Yield();
                }

                windows.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        windows.Sort();
        verifyAfter.Sort();
        Console.WriteLine($"RESULT revocation staleness A→B (notification only, {windows.Count} samples): median {Report.F(Report.Median(windows), "N2")} ms, p99 {Report.F(windows[(int)(windows.Count * 0.99)], "N2")} ms, max {Report.F(windows[^1], "N2")} ms; target <= 50 ms");
        Console.WriteLine($"RESULT revoke on A then verify on B ({verifyAfter.Count} samples): valid:true seen {sawValid} times (target 0); that verify took median {Report.F(Report.Median(verifyAfter), "N2")} ms, max {Report.F(verifyAfter[^1], "N2")} ms");
    }
}
