using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grantex.Core.Webhooks;
using Grantex.Testing;
using Microsoft.Data.Sqlite;

namespace Grantex.Api.Tests.Webhooks;

/// <summary>
/// Crash durability for real: the built server runs as a child process, an event is committed while its receiver is
/// not listening (or while delivery is switched off), the process is killed with SIGKILL, the receiver starts, the
/// server restarts on the same database — and the receiver gets that very event (same event id).
/// </summary>
public sealed class WebhookCrashTests
{
    [SqliteTheory]
    [InlineData(true)] // the deliverer ran and failed against a closed port: a pending row with attempts is left
    [InlineData(false)] // delivery was off: only the event log has it, the fan-out cursor has not passed it
    public async Task an_event_committed_before_a_kill_9_is_delivered_after_restart(bool deliveryRanBeforeTheKill)
    {
        var directory = TestSettings.NewDirectory("grantex-crash-");
        try
        {
            var port = ServerProcess.FreePort();
            var receiverPort = ServerProcess.FreePort();
            var env = ServerProcess.Environment(directory, port);
            var first = new Dictionary<string, string>(env) { ["Grantex__Webhooks__DeliveryEnabled"] = deliveryRanBeforeTheKill ? "true" : "false" };
            var cli = await ServerProcess.CliAsync(first, "developer", "create", "--name", "Crash", "--mode", "sandbox", "--json");
            var developer = JsonNode.Parse(cli.Split('\n').Single(l => l.StartsWith('{')))!; // the console logger may print first

            string webhookId;
            string grantId;
            await using (var server = await ServerProcess.StartAsync(first, port))
            {
                using var http = Client(server.BaseUrl, (string)developer["apiKey"]!);
                var hook = await Post(http, "/v1/webhooks", new { url = $"http://127.0.0.1:{receiverPort}/hook", events = new[] { "grant.created" } }, HttpStatusCode.Created);
                webhookId = (string)hook["id"]!;
                var agent = (string)(await Post(http, "/v1/agents", new { name = "A", scopes = new[] { "read" } }, HttpStatusCode.Created))["agentId"]!;
                var code = (string)(await Post(http, "/v1/authorize", new { agentId = agent, principalId = "alice", scopes = new[] { "read" } }, HttpStatusCode.Created))["code"]!;
                grantId = (string)(await Post(http, "/v1/token", new { code, agentId = agent }, HttpStatusCode.Created))["grantId"]!;

                if (deliveryRanBeforeTheKill)
                {
                    await Eventually.UntilAsync(async () =>
                    {
                        var list = JsonNode.Parse(await http.GetStringAsync($"/v1/webhooks/{webhookId}/deliveries"))!["deliveries"]!.AsArray();
                        return list.Any(d => (int)d!["attempts"]! >= 1);
                    }, "The deliverer never tried the closed port.");
                }

                await server.KillAsync();
            }

            var eventId = ReadEventId(directory, grantId);
            await using var receiver = await WebhookReceiver.StartAsync(receiverPort);
            await using var restarted = await ServerProcess.StartAsync(env, port);
            await Eventually.UntilAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), "The event was not delivered after the restart. " + restarted.Log);

            var received = receiver.Requests.First();
            Assert.Equal(eventId, received.Header(WebhookSignature.EventIdHeader));
            var envelope = JsonNode.Parse(received.Body)!;
            Assert.Equal(eventId, (string?)envelope["id"]);
            Assert.Equal(grantId, (string?)envelope["data"]!["grantId"]);
            Assert.All(receiver.Requests, r => Assert.Equal(eventId, r.Header(WebhookSignature.EventIdHeader)));
        }
        finally
        {
            TestSettings.DeleteDirectory(directory);
        }
    }

    private static string ReadEventId(string directory, string grantId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "grantex.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM events WHERE Type = 'grant.created' AND Body LIKE $grant";
        command.Parameters.AddWithValue("$grant", $"%\"{grantId}\"%");
        return (string)command.ExecuteScalar()!;
    }

    private static HttpClient Client(string baseUrl, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task<JsonObject> Post(HttpClient http, string path, object body, HttpStatusCode expected)
    {
        var response = await http.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        return await ApiClient.ExpectAsync(response, expected);
    }
}
