// "My grants" page render time: the real app on Kestrel, a sandbox developer, 20 agents and one principal holding
// 1,000 active grants (with their grant.created audit entries), a principal session from the API, then sequential
// GET /permissions with the session cookie. Server time is measured around the whole pipeline (no network).
//   dotnet run -c Release --project benchmarks/ConsentRender -- permissions [iterations] [grants, default 1000]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Benchmarks.ConsentRender;

internal static class PermissionsRenderBenchmark
{
    public static async Task RunAsync(int iterations, int grants = 1_000)
    {
        var data = Directory.CreateTempSubdirectory("grantex-bench-").FullName;
        try
        {
            await using var app = new ConsentApp(data);
            app.StartServer();
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri(app.BaseUrl) };
            var created = await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Travel", DeveloperMode.Sandbox);
            var developerId = created.Value!.Developer.Id;
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value.ApiKey);
            var agents = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                var agent = await (await http.PostAsJsonAsync("/v1/agents", new { name = $"Agent {i}", description = "Books trains and hotels for your trips." }))
                    .Content.ReadFromJsonAsync<JsonElement>();
                agents.Add(agent.GetProperty("agentId").GetString()!);
            }

            await SeedAsync(app.Services.GetRequiredService<WriteQueue>(), developerId, agents, "alice@example.com", grants);
            var session = await (await http.PostAsJsonAsync("/v1/principal-sessions", new { principalId = "alice@example.com", expiresIn = "24h" }))
                .Content.ReadFromJsonAsync<JsonElement>();
            http.DefaultRequestHeaders.Authorization = null;
            http.DefaultRequestHeaders.Add("Cookie", "gx_principal_session=" + session.GetProperty("sessionToken").GetString());

            async Task<(double Elapsed, int Length)> GetAsync()
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync("/permissions", HttpCompletionOption.ResponseContentRead);
                var body = await response.Content.ReadAsStringAsync();
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return response.StatusCode == HttpStatusCode.OK && body.Contains("active grants", StringComparison.Ordinal)
                    ? (elapsed, body.Length)
                    : throw new InvalidOperationException($"GET /permissions: {(int)response.StatusCode}");
            }

            for (var i = 0; i < 30; i++)
            {
                await GetAsync(); // warm-up
            }

            app.Times.Take();
            var samples = new double[iterations];
            var length = 0;
            for (var i = 0; i < iterations; i++)
            {
                (samples[i], length) = await GetAsync();
            }

            var server = app.Times.Take();
            System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET /permissions ({grants} active grants, 20 agents, {length / 1024} KiB of HTML)"));
            System.Console.WriteLine("  server (pipeline, no network): " + Summary(server));
            System.Console.WriteLine("  client round trip:             " + Summary(samples));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task SeedAsync(WriteQueue writes, string developerId, List<string> agents, string principal, int count)
    {
        var now = TimeFormat.ToMillis(DateTime.UtcNow);
        string[][] scopes = [["calendar:read", "email:send"], ["files:read"], ["payments:initiate:max_500", "calendar:read", "crm:contacts:export"]];
        var all = Enumerable.Range(0, count).Select(i =>
        {
            var id = Ids.New(Ids.Grant);
            return new Grant
            {
                Id = id, DeveloperId = developerId, AgentId = agents[i % agents.Count], PrincipalId = principal, Scopes = [.. scopes[i % 3]],
                Status = GrantStatus.Active, IssuedAt = now.AddSeconds(-i), ExpiresAt = now.AddDays(30), RootGrantId = id,
            };
        }).ToList();
        foreach (var chunk in all.Chunk(250))
        {
            await writes.ExecuteAsync(async ctx =>
            {
                ctx.Db.Set<Grant>().AddRange(chunk);
                foreach (var g in chunk)
                {
                    await ctx.AppendAuditAsync(AuditDraft.For(g.AuditSubject, AuditActions.GrantCreated, "bench", AuditMetadata.With("scopes", g.Scopes)));
                }

                return 0;
            });
        }
    }

    private static string Summary(double[] samples)
    {
        Array.Sort(samples);
        double Percentile(double p) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(p * samples.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"n={samples.Length}  p50={Percentile(0.50):F2} ms  p95={Percentile(0.95):F2} ms  max={samples[^1]:F2} ms");
    }
}
