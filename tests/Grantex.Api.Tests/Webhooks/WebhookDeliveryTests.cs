using System.Net;
using System.Text.Json.Nodes;
using Grantex.Core.Webhooks;
using Grantex.Testing;
using Microsoft.AspNetCore.Http;

namespace Grantex.Api.Tests.Webhooks;

/// <summary>
/// Deliveries to a real HTTP receiver on loopback (allowed by this app's configuration only): signatures, retries with
/// backoff, timeouts, redirects, huge bodies, the dead letter, redelivery and the rotation overlap.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookApp.Loopback fixture) : IClassFixture<WebhookApp.Loopback>
{
    [Fact]
    public async Task a_receiver_failing_twice_gets_the_event_three_times_with_valid_signatures_and_one_event_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (ctx, n) => Answer(ctx, n <= 2 ? 500 : 200);
        var api = await ApiClient.CreateAsync(fixture.App);
        var hook = await WebhookApi.CreateAsync(api, receiver.Url(), "grant.created");
        var grant = await api.GrantAsync(await api.CreateAgentAsync());

        var delivery = await WebhookApi.WaitForAsync(api, (string)hook["id"]!, "delivered");
        Assert.Equal(3, (int)delivery["attempts"]!);
        Assert.Equal("grant.created", (string?)delivery["eventType"]);
        Assert.Null((string?)delivery["lastError"]);
        var attempts = await WebhookApi.AttemptsAsync(api, (string)hook["id"]!, (string)delivery["id"]!);
        Assert.Equal([500, 500, 200], attempts.Select(a => (int)a!["httpStatus"]!));
        Assert.Equal(["HTTP 500", "HTTP 500", null], attempts.Select(a => (string?)a!["error"]));

        var requests = receiver.Requests.ToList();
        Assert.Equal(3, requests.Count);
        var secret = (string)hook["secret"]!;
        foreach (var r in requests)
        {
            Assert.Equal((string?)delivery["eventId"], r.Header(WebhookSignature.EventIdHeader));
            Assert.Equal((string?)delivery["id"], r.Header(WebhookSignature.DeliveryIdHeader));
            Assert.Equal(requests[0].Body, r.Body);
            Assert.Equal(WebhookApi.Signature(secret, r.Body), r.Header(WebhookSignature.Header));
            Assert.Equal(WebhookApi.SignatureV2(secret, r.Header(WebhookSignature.TimestampHeader), r.Body), r.Header(WebhookSignature.HeaderV2));
            Assert.Equal("", r.Header(WebhookSignature.PreviousHeader));
            Assert.StartsWith("application/json", r.Header("Content-Type"));
        }

        var envelope = JsonNode.Parse(requests[0].Body)!.AsObject();
        Assert.Equal(["id", "type", "createdAt", "data"], envelope.Select(p => p.Key));
        Assert.Equal((string?)delivery["eventId"], (string?)envelope["id"]);
        Assert.Equal((string?)grant["grantId"], (string?)envelope["data"]!["grantId"]);
    }

    [Fact]
    public async Task a_receiver_that_always_fails_is_dead_lettered_after_the_maximum_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (ctx, _) => Answer(ctx, 503);
        var api = await ApiClient.CreateAsync(fixture.App);
        var id = (string)(await WebhookApi.CreateAsync(api, receiver.Url()))["id"]!;
        await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/test", null), HttpStatusCode.Accepted);

        var failed = await WebhookApi.WaitForAsync(api, id, "failed");
        Assert.Equal(3, (int)failed["attempts"]!);
        Assert.Equal(3, (int)failed["maxAttempts"]!);
        Assert.Equal("HTTP 503", (string?)failed["lastError"]);
        Assert.Null(failed["nextAttemptAt"]);
        Assert.Equal(3, (await WebhookApi.AttemptsAsync(api, id, (string)failed["id"]!)).Count);
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task a_hanging_receiver_times_out_and_is_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = async (ctx, n) =>
        {
            if (n == 1)
            {
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            }

            await Answer(ctx, 200);
        };
        var api = await ApiClient.CreateAsync(fixture.App);
        var id = (string)(await WebhookApi.CreateAsync(api, receiver.Url()))["id"]!;
        await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/test", null), HttpStatusCode.Accepted);

        var delivered = await WebhookApi.WaitForAsync(api, id, "delivered");
        var attempts = await WebhookApi.AttemptsAsync(api, id, (string)delivered["id"]!);
        Assert.Equal(2, attempts.Count);
        Assert.Null(attempts[0]!["httpStatus"]);
        Assert.StartsWith("Timed out", (string?)attempts[0]!["error"]);
        Assert.True((int)attempts[0]!["latencyMs"]! >= 1000);
        Assert.Equal(200, (int)attempts[1]!["httpStatus"]!);
    }

    [Fact]
    public async Task a_redirect_is_a_failed_attempt_and_is_not_followed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (ctx, _) =>
        {
            if (ctx.Request.Path == "/elsewhere")
            {
                return Answer(ctx, 200);
            }

            ctx.Response.Redirect(receiver.Url("/elsewhere"));
            return Task.CompletedTask;
        };
        var api = await ApiClient.CreateAsync(fixture.App);
        var id = (string)(await WebhookApi.CreateAsync(api, receiver.Url()))["id"]!;
        await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/test", null), HttpStatusCode.Accepted);

        var failed = await WebhookApi.WaitForAsync(api, id, "failed");
        Assert.Equal("HTTP 302 (redirects are not followed)", (string?)failed["lastError"]);
        Assert.All(receiver.Requests, r => Assert.Equal("/hook", r.Path));
    }

    [Fact]
    public async Task only_a_bounded_prefix_of_a_huge_response_is_read_and_the_deliverer_stays_healthy()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        receiver.Respond = async (ctx, _) =>
        {
            ctx.Response.StatusCode = 200;
            for (var i = 0; i < 1600 && !ctx.RequestAborted.IsCancellationRequested; i++) // up to 100 MB
            {
                try
                {
                    await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                    return;
                }
            }
        };
        var api = await ApiClient.CreateAsync(fixture.App);
        var id = (string)(await WebhookApi.CreateAsync(api, receiver.Url()))["id"]!;
        await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/test", null), HttpStatusCode.Accepted);
        var delivered = await WebhookApi.WaitForAsync(api, id, "delivered");
        var attempt = Assert.Single(await WebhookApi.AttemptsAsync(api, id, (string)delivered["id"]!))!;
        Assert.Equal(4096, ((string)attempt["responseBody"]!).Length);

        receiver.Respond = (ctx, _) => Answer(ctx, 200);
        var next = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/test", null), HttpStatusCode.Accepted);
        await WebhookApi.WaitForAsync(api, id, "delivered", (string)next["id"]!);
    }

    [Fact]
    public async Task redeliver_sends_the_same_event_again_as_a_new_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = await ApiClient.CreateAsync(fixture.App);
        var id = (string)(await WebhookApi.CreateAsync(api, receiver.Url()))["id"]!;
        var first = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/test", null), HttpStatusCode.Accepted);
        await WebhookApi.WaitForAsync(api, id, "delivered", (string)first["id"]!);

        var again = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/deliveries/{first["id"]}/redeliver", null), HttpStatusCode.Accepted);
        Assert.NotEqual((string?)first["id"], (string?)again["id"]);
        Assert.Equal((string?)first["id"], (string?)again["redeliveryOf"]);
        await WebhookApi.WaitForAsync(api, id, "delivered", (string)again["id"]!);

        var requests = receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal((string?)first["eventId"], r.Header(WebhookSignature.EventIdHeader)));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal([(string)first["id"]!, (string)again["id"]!], requests.Select(r => r.Header(WebhookSignature.DeliveryIdHeader)));
        Assert.Single(await WebhookApi.AuditAsync(api, "webhook.redelivered"));
    }

    [Fact]
    public async Task during_the_overlap_after_a_rotation_both_secrets_sign()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = await ApiClient.CreateAsync(fixture.App);
        var created = await WebhookApi.CreateAsync(api, receiver.Url());
        var id = (string)created["id"]!;
        var rotated = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/rotate-secret", null), HttpStatusCode.OK);
        var test = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/test", null), HttpStatusCode.Accepted);
        await WebhookApi.WaitForAsync(api, id, "delivered", (string)test["id"]!);

        var r = Assert.Single(receiver.Requests);
        var ts = r.Header(WebhookSignature.TimestampHeader);
        Assert.Equal(WebhookApi.Signature((string)rotated["secret"]!, r.Body), r.Header(WebhookSignature.Header));
        Assert.Equal(WebhookApi.SignatureV2((string)rotated["secret"]!, ts, r.Body), r.Header(WebhookSignature.HeaderV2));
        Assert.Equal(WebhookApi.Signature((string)created["secret"]!, r.Body), r.Header(WebhookSignature.PreviousHeader));
        Assert.Equal(WebhookApi.SignatureV2((string)created["secret"]!, ts, r.Body), r.Header(WebhookSignature.PreviousHeaderV2));
        Assert.Equal("webhook.test", (string?)JsonNode.Parse(r.Body)!["type"]);
    }

    [Fact]
    public async Task a_webhook_gets_only_its_subscribed_types_and_nothing_from_before_it_existed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = await ApiClient.CreateAsync(fixture.App);
        var agent = await api.CreateAgentAsync();
        await api.GrantAsync(agent); // before the webhook: never delivered
        var id = (string)(await WebhookApi.CreateAsync(api, receiver.Url(), "token.issued"))["id"]!;
        var grant = await api.GrantAsync(agent);

        var delivered = await WebhookApi.WaitForAsync(api, id, "delivered");
        Assert.Equal("token.issued", (string?)delivered["eventType"]);
        var test = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{id}/test", null), HttpStatusCode.Accepted);
        await WebhookApi.WaitForAsync(api, id, "delivered", (string)test["id"]!);
        Assert.Equal(["token.issued", "webhook.test"], receiver.Requests.Select(r => (string)JsonNode.Parse(r.Body)!["type"]!));
        Assert.Equal((string?)grant["grantId"], (string?)JsonNode.Parse(receiver.Requests.First().Body)!["data"]!["grantId"]);
    }

    private static Task Answer(HttpContext ctx, int status)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsync(status < 300 ? "ok" : "nope");
    }
}
