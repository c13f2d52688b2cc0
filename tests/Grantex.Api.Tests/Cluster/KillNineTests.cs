using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Grantex.Testing;
using Xunit.Abstractions;

namespace Grantex.Api.Tests.Cluster;

/// <summary>
/// kill -9 of one node under load (issue 13): two real app processes on one PostgreSQL database, a concurrent write
/// load of every kind against both, SIGKILL to one of them mid-load. Every write a node acknowledged (a 2xx read in
/// full) is there afterwards with the state it acknowledged, the other node answered every request throughout, the
/// audit chain verifies, and the killed node, started again, rejoins and sees everything.
/// </summary>
public sealed class KillNineTests(ITestOutputHelper output)
{
    private const int WorkersPerNode = 4;
    private const int AcknowledgedBeforeKill = 30;
    private const int AcknowledgedAfterKill = 40;

    [PostgresFact]
    public async Task killing_one_node_under_load_loses_no_acknowledged_write_and_the_other_node_keeps_serving()
    {
        var database = "gx_kill9_" + Guid.NewGuid().ToString("N")[..12];
        var connection = PostgresCluster.ConnectionString(database);
        var folderA = TestSettings.NewDirectory("grantex-kill9-a-");
        var folderB = TestSettings.NewDirectory("grantex-kill9-b-");
        const string publicBaseUrl = "http://localhost:8080"; // the load balancer's address, which tokens name as issuer
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds:N1} s: {what}");
        try
        {
            // Both nodes and the CLI start together on the new database: they migrate one at a time under the migration lock.
            var startingA = NodeProcess.StartAsync("A", connection, folderA, publicBaseUrl);
            var startingB = NodeProcess.StartAsync("B", connection, folderB, publicBaseUrl);
            var creating = NodeProcess.CreateDeveloperAsync(connection, folderB);
            try
            {
                await Task.WhenAll(startingA, startingB, creating);
            }
            catch
            {
                foreach (var started in new[] { startingA, startingB }.Where(t => t.IsCompletedSuccessfully))
                {
                    await started.Result.DisposeAsync();
                }

                throw;
            }

            await using var a = await startingA;
            await using var b = await startingB;
            var (developerId, apiKey) = await creating;
            Phase("both nodes ready, developer created");
            var onA = new Load(a, Client(a, apiKey));
            var onB = new Load(b, Client(b, apiKey));
            var agent = await new ApiClient(onA.Http, developerId, apiKey).CreateAgentAsync();
            var subAgent = await new ApiClient(onB.Http, developerId, apiKey).CreateAgentAsync("Sub-agent");
            var ledger = new Ledger();

            using var stop = new CancellationTokenSource();
            var workers = new[] { onA, onB }
                .SelectMany(load => Enumerable.Range(0, WorkersPerNode).Select(i => Task.Run(() => WriteAsync(load, ledger, agent, subAgent, i, stop.Token))))
                .ToList();

            await Eventually.UntilAsync(() => Task.FromResult(
                onA.Acknowledged >= AcknowledgedBeforeKill && onB.Acknowledged >= AcknowledgedBeforeKill || !onA.Failures.IsEmpty || !onB.Failures.IsEmpty),
                "The load did not get going on both nodes");
            Assert.True(onA.Failures.IsEmpty && onB.Failures.IsEmpty, "Failures before the kill:\n" + onA.Report() + onB.Report() + a.Output() + b.Output());

            Phase($"load running: A acknowledged {onA.Acknowledged}, B {onB.Acknowledged}");

            // SIGKILL mid-load: A's writers have requests in flight; A's connections drop mid-transaction.
            onA.Killed = true;
            await a.KillAsync();
            var acknowledgedByBAtKill = onB.Acknowledged;
            await Eventually.UntilAsync(() => Task.FromResult(
                onB.Acknowledged >= acknowledgedByBAtKill + AcknowledgedAfterKill || !onB.Failures.IsEmpty),
                "B stopped acknowledging writes after A was killed:\n" + b.Output());
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            Phase($"A killed; after it B acknowledged {onB.Acknowledged - acknowledgedByBAtKill} more; A's failed requests: {onA.Failures.Count}");

            // B answered every request, during and after the kill; the only failures are A's in-flight requests.
            Assert.True(onB.Failures.IsEmpty, "B failed requests:\n" + onB.Report() + b.Output());
            Assert.True(onB.Acknowledged >= acknowledgedByBAtKill + AcknowledgedAfterKill);
            Assert.All(onA.Failures, f => Assert.True(f.AfterKill && f.Status is null, "A failed before it was killed: " + f));
            // Each writer stops at its first failure: at most one failed request per writer of A (the one in flight, or the next).
            Assert.InRange(onA.Failures.Count, 1, WorkersPerNode);

            var (grants, entries) = await CheckAsync(onB.Http, ledger, "B");
            Assert.True(grants > 0 && entries > 0);
            Phase($"B has all {grants} grants and {entries} audit entries acknowledged by either node");

            // A started again on the same database rejoins and sees everything, and both nodes see one chain.
            await using var again = await NodeProcess.StartAsync("A again", connection, folderA, publicBaseUrl);
            using var onAgain = Client(again, apiKey);
            await CheckAsync(onAgain, ledger, "A again");
            Assert.Equal(await ChainLengthAsync(onB.Http), await ChainLengthAsync(onAgain));
            Phase("A started again and sees everything");
            onA.Http.Dispose();
            onB.Http.Dispose();
        }
        finally
        {
            PostgresCluster.Drop(database);
            TestSettings.DeleteDirectory(folderA);
            TestSettings.DeleteDirectory(folderB);
        }
    }

    /// <summary>One writer: authorize + exchange, delegate, sometimes a cascade revoke or a token revoke, an audit append; over and over.</summary>
    private static async Task WriteAsync(Load load, Ledger ledger, string agent, string subAgent, int seed, CancellationToken stop)
    {
        var random = new Random(seed * 7919 + load.Node.Port);
        while (!stop.IsCancellationRequested)
        {
            var authorized = await load.SendAsync(HttpMethod.Post, "/v1/authorize", new { agentId = agent, principalId = "alice", scopes = new[] { "read", "write" } });
            if (authorized is null || stop.IsCancellationRequested)
            {
                return;
            }

            var exchanged = await load.SendAsync(HttpMethod.Post, "/v1/token", new { code = (string)authorized["code"]!, agentId = agent });
            if (exchanged is null)
            {
                return;
            }

            var grant = ledger.Grant((string)exchanged["grantId"]!, (string)exchanged["grantToken"]!, parent: null);
            var delegated = await load.SendAsync(HttpMethod.Post, "/v1/grants/delegate",
                new { parentGrantToken = grant.Token, subAgentId = subAgent, scopes = new[] { "read" } });
            if (delegated is null)
            {
                return;
            }

            var child = ledger.Grant((string)delegated["grantId"]!, (string)delegated["grantToken"]!, grant);
            switch (random.Next(4))
            {
                case 0:
                    grant.RevokeSent = true;
                    if (await load.SendAsync(HttpMethod.Delete, $"/v1/grants/{grant.Id}", null) is null)
                    {
                        return;
                    }

                    grant.Revoked = true;
                    break;
                case 1:
                    child.TokenRevokeSent = true;
                    if (await load.SendAsync(HttpMethod.Post, "/v1/tokens/revoke", new { jti = (string)ApiClient.Payload(child.Token)["jti"]! }) is null)
                    {
                        return;
                    }

                    child.TokenRevoked = true;
                    break;
            }

            var entry = await load.SendAsync(HttpMethod.Post, "/v1/audit/log",
                new { agentId = agent, agentDid = "did:grantex:" + agent, grantId = grant.Id, principalId = "alice", action = "tool.call" });
            if (entry is null)
            {
                return;
            }

            ledger.Entries[(string)entry["entryId"]!] = (string)entry["hash"]!;
        }
    }

    /// <summary>Every acknowledged write, asked of one node: grants with their acknowledged state, tokens, audit entries; and the chain verifies.</summary>
    private static async Task<(int Grants, int Entries)> CheckAsync(HttpClient http, Ledger ledger, string node)
    {
        var problems = new ConcurrentQueue<string>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8 };
        await Parallel.ForEachAsync(ledger.Grants.Values, options, async (grant, _) =>
        {
            var got = await http.GetAsync($"/v1/grants/{grant.Id}");
            if (got.StatusCode != HttpStatusCode.OK)
            {
                problems.Enqueue($"grant {grant.Id}: {(int)got.StatusCode}");
                return;
            }

            var status = (string)(await ApiClient.JsonAsync(got))["status"]!;
            if (grant.Uncertain)
            {
                return;
            }

            var revoked = grant.Revoked || grant.Parent?.Revoked == true;
            if (status != (revoked ? "revoked" : "active"))
            {
                problems.Enqueue($"grant {grant.Id}: {status}, acknowledged {(revoked ? "revoked" : "active")}");
            }

            if (grant.TokenRevokeSent && !grant.TokenRevoked)
            {
                return;
            }

            var verify = await ApiClient.JsonAsync(await http.PostAsync("/v1/tokens/verify", Json(new { token = grant.Token })));
            if ((bool)verify["valid"]! != !(revoked || grant.TokenRevoked))
            {
                problems.Enqueue($"token of {(grant.Parent is null ? "root" : "delegated")} grant {grant.Id} (status {status}): {verify.ToJsonString()}, acknowledged revoked={revoked || grant.TokenRevoked}");
            }
        });
        await Parallel.ForEachAsync(ledger.Entries, options, async (entry, _) =>
        {
            var got = await http.GetAsync($"/v1/audit/{entry.Key}");
            var hash = got.StatusCode == HttpStatusCode.OK ? (string?)(await ApiClient.JsonAsync(got))["hash"] : null;
            if (hash != entry.Value)
            {
                problems.Enqueue($"audit entry {entry.Key}: {(int)got.StatusCode} {hash}");
            }
        });

        Assert.True(problems.IsEmpty, $"{node} lost acknowledged writes:\n" + string.Join("\n", problems.Take(20)));
        var chain = await ApiClient.ExpectAsync(await http.GetAsync("/v1/audit/verify"), HttpStatusCode.OK);
        Assert.True((bool)chain["valid"]!, chain.ToJsonString());
        Assert.True((long)chain["checkedEntries"]! >= ledger.Entries.Count);
        return (ledger.Grants.Count, ledger.Entries.Count);
    }

    private static async Task<long> ChainLengthAsync(HttpClient http) =>
        (long)(await ApiClient.ExpectAsync(await http.GetAsync("/v1/audit/verify"), HttpStatusCode.OK))["checkedEntries"]!;

    private static HttpClient Client(NodeProcess node, string apiKey)
    {
        var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = Eventually.Deadline };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    /// <summary>The writes acknowledged by either node, and what must be true of each afterwards.</summary>
    private sealed class Ledger
    {
        public ConcurrentDictionary<string, GrantRecord> Grants { get; } = new();

        public ConcurrentDictionary<string, string> Entries { get; } = new();

        public GrantRecord Grant(string id, string token, GrantRecord? parent) => Grants[id] = new GrantRecord(id, token, parent);
    }

    private sealed class GrantRecord(string id, string token, GrantRecord? parent)
    {
        public string Id { get; } = id;

        public string Token { get; } = token;

        public GrantRecord? Parent { get; } = parent;

        public volatile bool RevokeSent;
        public volatile bool Revoked;
        public volatile bool TokenRevokeSent;
        public volatile bool TokenRevoked;

        /// <summary>A revocation of it (or of its parent) was sent and never answered: it may or may not have committed.</summary>
        public bool Uncertain => (RevokeSent && !Revoked) || (Parent is { RevokeSent: true, Revoked: false });
    }

    private sealed record Failure(string Request, HttpStatusCode? Status, string Detail, bool AfterKill);

    /// <summary>The requests sent to one node: how many writes it acknowledged, how many are in flight, which failed.</summary>
    private sealed class Load(NodeProcess node, HttpClient http)
    {
        private int _acknowledged;
        private int _inFlight;

        public NodeProcess Node { get; } = node;

        public HttpClient Http { get; } = http;

        public ConcurrentQueue<Failure> Failures { get; } = new();

        public volatile bool Killed;

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public int InFlight => Volatile.Read(ref _inFlight);

        /// <summary>The body of a 2xx read in full (an acknowledged write), or null when the request failed (recorded).</summary>
        public async Task<JsonObject?> SendAsync(HttpMethod method, string path, object? body)
        {
            Interlocked.Increment(ref _inFlight);
            try
            {
                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
                using var response = await Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    Failures.Enqueue(new Failure($"{method} {path}", response.StatusCode, text, Killed));
                    return null;
                }

                Interlocked.Increment(ref _acknowledged);
                return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Failures.Enqueue(new Failure($"{method} {path}", null, e.Message, Killed));
                return null;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public string Report() => $"{Node.Name}: {Acknowledged} acknowledged, failures:\n" + string.Join("\n", Failures.Take(10)) + "\n";
    }
}
