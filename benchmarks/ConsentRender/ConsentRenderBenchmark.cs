// Consent page render time: starts the real app on Kestrel (127.0.0.1, its own SQLite file, Production settings),
// creates a live developer, an agent and pending requests, then times sequential GET /consent?req=… over one
// keep-alive connection. The loopback round trip is included, so the figures are an upper bound on server time.
//   dotnet run -c Release --project benchmarks/ConsentRender [-- iterations]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Grantex.Core.Developers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Benchmarks.ConsentRender;

internal static class ConsentRenderBenchmark
{
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "permissions")
        {
            await PermissionsRenderBenchmark.RunAsync(
                args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200,
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000);
            return;
        }

        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
        var data = Directory.CreateTempSubdirectory("grantex-bench-").FullName;
        try
        {
            await using var app = new ConsentApp(data);
            app.StartServer();
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri(app.BaseUrl) };

            var created = await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Corp", DeveloperMode.Live);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value!.ApiKey);
            var agent = await (await http.PostAsJsonAsync("/v1/agents", new
            {
                name = "Trip Planner",
                description = "Books trains and hotels for your trips.",
                redirectUris = new[] { "https://app.example.com/callback" },
            })).Content.ReadFromJsonAsync<JsonElement>();
            var requests = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                var authorize = await http.PostAsJsonAsync("/v1/authorize", new
                {
                    agentId = agent.GetProperty("agentId").GetString(),
                    principalId = $"person-{i}@example.com",
                    scopes = new[] { "calendar:read", "email:send", "payments:initiate:max_500", "files:read", "crm:contacts:export" },
                    redirectUri = "https://app.example.com/callback",
                    state = "s",
                    audience = "https://api.example.com",
                });
                requests.Add((await authorize.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consentUrl").GetString()!);
            }

            http.DefaultRequestHeaders.Authorization = null;
            var pages = requests.Select(u => new Uri(u).PathAndQuery).ToList();
            var json = requests.Select(u => "/v1/consent/" + u[(u.IndexOf("req=", StringComparison.Ordinal) + 4)..]).ToList();
            await MeasureAsync(http, app.Times, "GET /consent (the page: 5 scopes, audience, redirect)", pages, iterations);
            await MeasureAsync(http, app.Times, "GET /v1/consent/{id} (same request as JSON, for comparison)", json, iterations);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task MeasureAsync(HttpClient http, ServerTimes times, string label, List<string> paths, int iterations)
    {
        async Task<double> GetAsync(int i)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(paths[i % paths.Count], HttpCompletionOption.ResponseContentRead);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {paths[i % paths.Count]}: {(int)response.StatusCode}");
            }

            return elapsed;
        }

        for (var i = 0; i < 3000; i++)
        {
            await GetAsync(i); // warm-up: JIT, EF query compilation, connection pool
        }

        times.Take();
        var samples = new double[iterations];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            samples[i] = await GetAsync(i);
        }

        total.Stop();
        var cpuPerRequest = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / iterations;
        var server = times.Take();
        System.Console.WriteLine(label);
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  server (pipeline, no network): {Summary(server)}"));
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  client round trip:             {Summary(samples)}  ({iterations / total.Elapsed.TotalSeconds:F0}/s on one connection, process cpu {cpuPerRequest:F2} ms/request incl. thread-pool spinning)"));
    }

    private static string Summary(double[] samples)
    {
        Array.Sort(samples);
        double Percentile(double p) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(p * samples.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"n={samples.Length}  p50={Percentile(0.50):F2} ms  p95={Percentile(0.95):F2} ms  p99={Percentile(0.99):F2} ms  max={samples[^1]:F2} ms");
    }
}

/// <summary>The app on Kestrel at 127.0.0.1 with its own data folder and production settings.</summary>
internal sealed class ConsentApp : WebApplicationFactory<Program>
{
    private readonly string _data;
    private readonly int _port;

    public ConsentApp(string data)
    {
        _data = data;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        UseKestrel(k => k.Listen(IPAddress.Loopback, _port));
    }

    public string BaseUrl => $"http://127.0.0.1:{_port}";

    /// <summary>Server time of every request, from the first middleware until the response is written (no network).</summary>
    public ServerTimes Times { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new ServerTimingFilter(Times)));
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Grantex", $"Data Source={Path.Combine(_data, "grantex.db")}");
        builder.UseSetting("Grantex:DataProtection:KeysPath", Path.Combine(_data, "keys"));
        builder.UseSetting("Grantex:PublicBaseUrl", BaseUrl);
        builder.UseSetting("Grantex:RateLimits:PerDeveloperPerMinute", "10000000");
        builder.UseSetting("Grantex:RateLimits:PerIpPerMinute", "10000000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}

/// <summary>Collected server-side request durations (milliseconds) for one measured run.</summary>
internal sealed class ServerTimes
{
    private readonly List<double> _samples = [];

    public void Add(double milliseconds)
    {
        lock (_samples)
        {
            _samples.Add(milliseconds);
        }
    }

    public double[] Take()
    {
        lock (_samples)
        {
            var taken = _samples.ToArray();
            _samples.Clear();
            return taken;
        }
    }
}

/// <summary>Puts a stopwatch around the whole pipeline.</summary>
internal sealed class ServerTimingFilter(ServerTimes times) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var started = Stopwatch.GetTimestamp();
            await nextMiddleware(context);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        next(app);
    };
}
