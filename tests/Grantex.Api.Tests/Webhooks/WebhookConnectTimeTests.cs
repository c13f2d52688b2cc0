using System.Net;
using Grantex.Testing;

namespace Grantex.Api.Tests.Webhooks;

/// <summary>
/// The SSRF check is made again for every address the deliverer connects to. A test DNS plays a rebinding attacker:
/// the name resolves to a public address when the webhook is registered, and to loopback — where a real receiver
/// listens — when it is delivered. With the allow-list off (production's default), nothing reaches the receiver.
/// </summary>
public sealed class WebhookConnectTimeTests(WebhookApp fixture) : IClassFixture<WebhookApp>
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task a_name_that_resolves_to_loopback_at_delivery_time_is_refused_at_connect(string rebound)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var host = $"rebind-{Guid.NewGuid():N}.example.com";
        fixture.Resolver.Answers[host] = [IPAddress.Parse("93.184.216.34")];
        var api = await ApiClient.CreateAsync(fixture.App);
        var id = (string)(await WebhookApi.CreateAsync(api, $"http://{host}:{receiver.Port}/hook"))["id"]!;

        fixture.Resolver.Answers[host] = [IPAddress.Parse(rebound)];
        var test = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/test", null), HttpStatusCode.Accepted);

        JsonArrayHolder attempts = new();
        await Eventually.UntilAsync(async () => (attempts.Value = await WebhookApi.AttemptsAsync(api, id, (string)test["id"]!)).Count > 0, "No attempt was recorded.");
        var error = (string)attempts.Value![0]!["error"]!;
        Assert.StartsWith($"Refused to connect: {host} resolves to", error);
        Assert.Contains("loopback", error);
        Assert.Null(attempts.Value[0]!["httpStatus"]);
        Assert.Empty(receiver.Requests);
    }

    private sealed class JsonArrayHolder
    {
        public System.Text.Json.Nodes.JsonArray? Value { get; set; }
    }
}
