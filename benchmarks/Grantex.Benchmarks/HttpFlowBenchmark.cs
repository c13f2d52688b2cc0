using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Grantex.Benchmarks;

/// <summary>
/// Over HTTP against running servers (benchmarks/cluster/http.sh starts them: SQLite, PostgreSQL with one node, two
/// nodes behind nginx): the full flow — POST /v1/authorize (sandbox: approved at once) then POST /v1/token with the
/// code — by concurrent callers, and online verification (POST /v1/tokens/verify) by concurrent callers. Every answer
/// is checked (201 with a grant, 200 with valid:true); a failed request fails the run.
/// </summary>
internal static class HttpFlowBenchmark
{
    public static async Task RunAsync(string label, Uri baseUrl, string apiKey, string agentId, int runs, TimeSpan duration, int flowCallers = 16, int verifyCallers = 32)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        var token = (string)(await FlowAsync(http, agentId))["grantToken"]!;
        var flows = new List<double>();
        var flowP50 = new List<double>();
        var verifies = new List<double>();
        var verifyP50 = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var (flowRate, flowLatency) = await DriveAsync(flowCallers, duration, () => FlowAsync(http, agentId));
            var (verifyRate, verifyLatency) = await DriveAsync(verifyCallers, duration, () => VerifyAsync(http, token));
            if (run == 0)
            {
                continue; // warm-up round
            }

            flows.Add(flowRate);
            flowP50.Add(Report.Median(flowLatency));
            verifies.Add(verifyRate);
            verifyP50.Add(Report.Median(verifyLatency));
            Report.Run("http " + label, run,
                $"full flow {Report.F(flowRate)}/s (p50 {Report.F(Report.Median(flowLatency))} ms, p99 {Report.F(Percentile(flowLatency, 0.99))} ms, {flowCallers} callers); " +
                $"online verify {Report.F(verifyRate)}/s (p50 {Report.F(Report.Median(verifyLatency))} ms, p99 {Report.F(Percentile(verifyLatency, 0.99))} ms, {verifyCallers} callers)");
        }

        Console.WriteLine($"RESULT http {label}: full flow (authorize + token) median {Report.F(Report.Median(flows))}/s (p50 {Report.F(Report.Median(flowP50))} ms); " +
            $"online verify median {Report.F(Report.Median(verifies))}/s (p50 {Report.F(Report.Median(verifyP50))} ms); {runs} runs of {duration.TotalSeconds:N0} s");
    }

    private static async Task<(double Rate, List<double> Latencies)> DriveAsync(int callers, TimeSpan duration, Func<Task> operation)
    {
        var latencies = new List<double>[callers];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
        {
            var mine = latencies[caller] = [];
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                await operation();
                mine.Add((clock.Elapsed - started).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).ToList();
        return (all.Count / clock.Elapsed.TotalSeconds, all);
    }

    private static async Task<JsonObject> FlowAsync(HttpClient http, string agentId)
    {
        var authorized = await PostAsync(http, "/v1/authorize", $$"""{"agentId":"{{agentId}}","principalId":"alice","scopes":["read"]}""", HttpStatusCode.Created);
        return await PostAsync(http, "/v1/token", $$"""{"code":"{{authorized["code"]}}","agentId":"{{agentId}}"}""", HttpStatusCode.Created);
    }

    private static async Task VerifyAsync(HttpClient http, string token)
    {
        var answer = await PostAsync(http, "/v1/tokens/verify", $$"""{"token":"{{token}}"}""", HttpStatusCode.OK);
        if (answer["valid"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException("verify said " + answer.ToJsonString());
        }
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, string json, HttpStatusCode expected)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == expected
            ? JsonNode.Parse(text)!.AsObject()
            : throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }
}
