using System.Net;
using System.Text.Json.Nodes;
using Grantex.Testing;
using Npgsql;

namespace Grantex.Api.Tests.Operations;

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c>. The fault is real, with the server running throughout: on SQLite the
/// database's folder is moved away (as when its volume is unmounted) and put back; on PostgreSQL the database stops
/// taking connections and every connection to it is cut (as when the server goes down), then it takes them again.
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task ready_reports_each_check_and_turns_unhealthy_while_the_database_is_gone_and_healthy_when_it_returns()
    {
        await using var app = new GrantexApp();
        var client = app.CreateClient();
        var ready = await ExpectAsync(client, "/health/ready", HttpStatusCode.OK);
        Assert.Equal("healthy", (string?)ready["status"]);
        Assert.Equal(["database", "migrations", "signing_key"], ready["checks"]!.AsObject().Select(c => c.Key).Order());
        Assert.All(ready["checks"]!.AsObject(), c => Assert.Equal("healthy", (string?)c.Value!["status"]));

        var away = await DatabaseAway.TakeAsync(app);
        try
        {
            var down = await ExpectAsync(client, "/health/ready", HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unhealthy", (string?)down["status"]);
            Assert.Equal("unhealthy", (string?)down["checks"]!["database"]!["status"]);
            Assert.Equal("unhealthy", (string?)down["checks"]!["migrations"]!["status"]);
            Assert.Equal("healthy", (string?)down["checks"]!["signing_key"]!["status"]);
            Assert.DoesNotContain(away.Secret, down.ToJsonString(), StringComparison.Ordinal);

            var live = await ExpectAsync(client, "/health/live", HttpStatusCode.OK);
            Assert.Equal("healthy", (string?)live["status"]);
        }
        finally
        {
            await away.ReturnAsync();
        }

        // Pooled connections the outage broke are dropped on their first use: ready within a few checks, not at once.
        await Eventually.UntilAsync(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "ready never came back");
        var back = await ExpectAsync(client, "/health/ready", HttpStatusCode.OK);
        Assert.Equal("healthy", (string?)back["status"]);
    }

    [Fact]
    public async Task live_and_ready_need_no_key_and_are_not_rate_limited()
    {
        await using var app = GrantexApp.With(new GrantexAppOptions
        {
            Settings = new Dictionary<string, string?> { ["Grantex:RateLimits:PerIpPerMinute"] = "2" },
        });
        var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await ExpectAsync(client, "/health/live", HttpStatusCode.OK);
            await ExpectAsync(client, "/health/ready", HttpStatusCode.OK);
        }

        // The limit is real: an unauthenticated API call from the same client is refused once it is used up.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.GetAsync("/v1/agents")).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("nosniff", live.Headers.GetValues("X-Content-Type-Options").Single());
    }

    /// <summary>The app's database made unreachable, and given back.</summary>
    private sealed class DatabaseAway
    {
        private readonly Func<Task> _return;

        private DatabaseAway(string secret, Func<Task> giveBack)
        {
            Secret = secret;
            _return = giveBack;
        }

        /// <summary>What the health answer must not reveal (the folder, the connection's password).</summary>
        public string Secret { get; }

        public static async Task<DatabaseAway> TakeAsync(GrantexApp app)
        {
            if (!PostgresCluster.SuiteOnPostgres)
            {
                var away = app.DataDirectory + ".away";
                Directory.Move(app.DataDirectory, away);
                return new DatabaseAway(away, () =>
                {
                    Directory.Move(away, app.DataDirectory);
                    return Task.CompletedTask;
                });
            }

            var database = PostgresCluster.DatabaseName(app.DataDirectory);
            await AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false",
                $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()");
            var password = new NpgsqlConnectionStringBuilder(PostgresCluster.ConnectionString(database)).Password!;
            return new DatabaseAway("Password=" + password, () => AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true"));
        }

        public Task ReturnAsync() => _return();

        private static async Task AdminAsync(params string[] statements)
        {
            await using var admin = new NpgsqlConnection(PostgresCluster.ConnectionString("postgres"));
            await admin.OpenAsync();
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, admin);
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    private static async Task<JsonObject> ExpectAsync(HttpClient client, string path, HttpStatusCode status)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }
}
