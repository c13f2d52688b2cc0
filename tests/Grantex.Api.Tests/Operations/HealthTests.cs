using System.Net;
using System.Text.Json.Nodes;
using Grantex.Testing;

namespace Grantex.Api.Tests.Operations;

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c>. The fault is real: the database's folder is moved away (as when its
/// volume is unmounted) and put back, with the server running throughout.
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

        var away = app.DataDirectory + ".away";
        Directory.Move(app.DataDirectory, away);
        try
        {
            var down = await ExpectAsync(client, "/health/ready", HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unhealthy", (string?)down["status"]);
            Assert.Equal("unhealthy", (string?)down["checks"]!["database"]!["status"]);
            Assert.Equal("unhealthy", (string?)down["checks"]!["migrations"]!["status"]);
            Assert.Equal("healthy", (string?)down["checks"]!["signing_key"]!["status"]);
            Assert.DoesNotContain(away, down.ToJsonString(), StringComparison.Ordinal);

            var live = await ExpectAsync(client, "/health/live", HttpStatusCode.OK);
            Assert.Equal("healthy", (string?)live["status"]);
        }
        finally
        {
            Directory.Move(away, app.DataDirectory);
        }

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

    private static async Task<JsonObject> ExpectAsync(HttpClient client, string path, HttpStatusCode status)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }
}
