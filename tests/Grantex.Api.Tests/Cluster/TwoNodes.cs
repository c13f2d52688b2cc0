using System.Net;
using System.Net.Http.Headers;
using Grantex.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Grantex.Api.Tests.Cluster;

/// <summary>
/// Two servers (A and B) on one PostgreSQL database, as two nodes behind a load balancer: two app hosts in this
/// process, each with its own writer, caches, revocation index and notification listener, sharing nothing but the
/// database. The database is dropped afterwards. More nodes can be started on it (<see cref="StartNodeAsync"/>).
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    private readonly string _database = "gx_nodes_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<(GrantexApp App, string Directory)> _nodes = [];

    public GrantexApp A => _nodes[0].App;

    public GrantexApp B => _nodes[1].App;

    public async Task InitializeAsync()
    {
        await StartNodeAsync();
        await StartNodeAsync();
    }

    /// <summary>Starts one more node on the same database.</summary>
    public Task<GrantexApp> StartNodeAsync()
    {
        var directory = TestSettings.NewDirectory("grantex-node-");
        var app = GrantexApp.With(new GrantexAppOptions
        {
            CaptureLogs = true,
            Settings = new Dictionary<string, string?>
            {
                ["Grantex:Database:Provider"] = "PostgreSQL",
                ["ConnectionStrings:Grantex"] = PostgresCluster.ConnectionString(_database),
                ["Grantex:DataDirectory"] = directory,
                ["Grantex:DataProtection:Store"] = "Database",
            },
        });
        _nodes.Add((app, directory));
        app.StartServer();
        return Task.FromResult(app);
    }

    /// <summary>A client of <paramref name="node"/> holding <paramref name="apiKey"/>.</summary>
    public static HttpClient Client(GrantexApp node, string apiKey)
    {
        var http = node.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    /// <summary>Two browsers (one per node) sharing one cookie jar: a person whose requests the load balancer spreads.</summary>
    public (HttpClient OnA, HttpClient OnB) Browser()
    {
        var cookies = new CookieContainer();
        HttpClient For(GrantexApp node) => new(new CookieContainerHandler(cookies) { InnerHandler = node.Server.CreateHandler() })
        {
            BaseAddress = new Uri("http://localhost"),
        };

        return (For(A), For(B));
    }

    /// <summary>Every node's warnings and errors (for a failure message).</summary>
    public string Problems() => string.Join("\n", _nodes.SelectMany((n, i) => n.App.Logs
        .Where(l => l.Contains("Exception", StringComparison.Ordinal))
        .Select(l => $"node {i}: {l}")).TakeLast(20));

    public async Task DisposeAsync()
    {
        foreach (var (app, directory) in Enumerable.Reverse(_nodes))
        {
            await app.DisposeAsync();
            TestSettings.DeleteDirectory(directory);
        }

        PostgresCluster.Drop(_database);
    }
}
