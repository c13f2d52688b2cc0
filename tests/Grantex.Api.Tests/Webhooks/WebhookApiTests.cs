using System.Net;
using System.Text.Json.Nodes;
using Grantex.Core.Events;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Webhooks;

/// <summary>Webhook registration in the wire format (§7.2): create, list, delete, deliveries paging, bad input.</summary>
public sealed class WebhookApiTests(WebhookApp fixture) : IClassFixture<WebhookApp>
{
    [Fact]
    public async Task create_answers_the_secret_once_and_list_never_shows_it()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var created = await ApiClient.ExpectAsync(await api.PostAsync("/v1/webhooks",
            new { url = "https://example.com/webhook", events = new[] { "grant.created", "grant.revoked" } }), HttpStatusCode.Created);

        Assert.Equal(["id", "url", "events", "secret", "createdAt"], created.Select(p => p.Key));
        Assert.StartsWith("wh_", (string?)created["id"]);
        Assert.Matches("^[0-9a-f]{48}$", (string?)created["secret"]);
        Assert.Equal("https://example.com/webhook", (string?)created["url"]);
        Assert.Equal(["grant.created", "grant.revoked"], created["events"]!.AsArray().Select(e => (string)e!));

        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/webhooks"), HttpStatusCode.OK);
        var item = Assert.Single(list["webhooks"]!.AsArray())!.AsObject();
        Assert.Equal(["id", "url", "events", "createdAt"], item.Select(p => p.Key));
        Assert.DoesNotContain((string)created["secret"]!, list.ToJsonString());

        // Not stored in plaintext either.
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        var row = await db.Webhooks.SingleAsync(w => w.Id == (string)created["id"]!);
        Assert.DoesNotContain((string)created["secret"]!, row.ProtectedSecret);

        var audit = Assert.Single(await WebhookApi.AuditAsync(api, "webhook.created"))!;
        Assert.Equal((string?)created["id"], (string?)audit["metadata"]!["webhookId"]);
        Assert.DoesNotContain((string)created["secret"]!, audit.ToJsonString());
    }

    [Fact]
    public async Task delete_answers_204_then_404_and_another_developers_webhook_is_not_found()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var other = await ApiClient.CreateAsync(fixture.App);
        var id = (string)(await WebhookApi.CreateAsync(api, "https://hooks.example.com/a"))["id"]!;

        await ApiClient.ExpectErrorAsync(await other.Http.DeleteAsync($"/v1/webhooks/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await other.Http.GetAsync($"/v1/webhooks/{id}/deliveries"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await other.PostAsync($"/v1/webhooks/{id}/test", null), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await other.PostAsync($"/v1/webhooks/{id}/rotate-secret", null), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Empty((await ApiClient.ExpectAsync(await other.Http.GetAsync("/v1/webhooks"), HttpStatusCode.OK))["webhooks"]!.AsArray());

        Assert.Equal(HttpStatusCode.NoContent, (await api.Http.DeleteAsync($"/v1/webhooks/{id}")).StatusCode);
        var again = await ApiClient.ExpectErrorAsync(await api.Http.DeleteAsync($"/v1/webhooks/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("Webhook not found.", (string?)again["message"]);
        Assert.Single(await WebhookApi.AuditAsync(api, "webhook.deleted"));
    }

    [Fact]
    public async Task unknown_event_types_are_refused_naming_the_valid_ones_and_nothing_is_stored()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var body = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/webhooks",
            new { url = "https://example.com/h", events = new[] { "grant.created", "grant.exploded" } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        var message = (string)body["message"]!;
        Assert.StartsWith("Invalid event types: grant.exploded. Valid: ", message);
        foreach (var type in EventTypes.All.Where(t => t != EventTypes.WebhookTest))
        {
            Assert.Contains(type, message);
        }

        Assert.DoesNotContain("webhook.test", message);
        Assert.Equal(["events"], body["fields"]!.AsArray().Select(f => (string)f!));

        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/webhooks", new { url = "https://example.com/h", events = new[] { "webhook.test" } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/webhooks", new { url = "https://example.com/h", events = Array.Empty<string>() }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/webhooks", new { url = "https://example.com/h" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/webhooks", new { url = "https://example.com/h", events = "grant.created" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/webhooks", new { url = 42, events = new[] { "grant.created" } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Empty((await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/webhooks"), HttpStatusCode.OK))["webhooks"]!.AsArray());
    }

    [Fact]
    public async Task every_emitted_event_type_can_be_subscribed_to()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var all = EventTypes.All.Where(t => t != EventTypes.WebhookTest).ToArray();
        var created = await WebhookApi.CreateAsync(api, "https://example.com/all", all);
        Assert.Equal(all, created["events"]!.AsArray().Select(e => (string)e!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.com/h")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("gopher://example.com/")]
    [InlineData("https://user:pass@example.com/h")]
    [InlineData("https://user@example.com/h")]
    [InlineData("https://example.com/h#fragment")]
    [InlineData("https://example.com/h with space")]
    public async Task malformed_urls_are_refused_with_400(string url)
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var body = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/webhooks", new { url, events = new[] { "grant.created" } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal(["url"], body["fields"]!.AsArray().Select(f => (string)f!));
        Assert.Empty((await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/webhooks"), HttpStatusCode.OK))["webhooks"]!.AsArray());
    }

    [Fact]
    public async Task an_over_long_url_is_refused()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var url = "https://example.com/" + new string('a', 2100);
        var body = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/webhooks", new { url, events = new[] { "grant.created" } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("2048", (string)body["message"]!);
    }

    [Fact]
    public async Task deliveries_paging_and_status_are_checked()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var id = (string)(await WebhookApi.CreateAsync(api, "https://example.com/p"))["id"]!;
        var empty = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/webhooks/{id}/deliveries"), HttpStatusCode.OK);
        Assert.Equal(["deliveries", "total", "page", "pageSize"], empty.Select(p => p.Key));
        Assert.Equal(0, (int)empty["total"]!);
        Assert.Equal(1, (int)empty["page"]!);
        Assert.Equal(20, (int)empty["pageSize"]!);

        var capped = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/webhooks/{id}/deliveries?pageSize=500&page=2&status=failed"), HttpStatusCode.OK);
        Assert.Equal(100, (int)capped["pageSize"]!);
        Assert.Equal(2, (int)capped["page"]!);

        foreach (var bad in new[] { "?status=exploded", "?page=0", "?page=abc", "?pageSize=0", "?pageSize=-1", "?page=1.5" })
        {
            await ApiClient.ExpectErrorAsync(await api.Http.GetAsync($"/v1/webhooks/{id}/deliveries{bad}"), HttpStatusCode.BadRequest, "BAD_REQUEST");
        }

        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/webhooks/wh_nope/deliveries"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task a_test_event_is_queued_for_that_webhook_only_with_its_own_event()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var target = (string)(await WebhookApi.CreateAsync(api, "https://example.com/t1"))["id"]!;
        var bystander = (string)(await WebhookApi.CreateAsync(api, "https://example.com/t2"))["id"]!;

        var delivery = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{target}/test", null), HttpStatusCode.Accepted);
        Assert.Equal("webhook.test", (string?)delivery["eventType"]);
        Assert.Equal(target, (string?)delivery["webhookId"]);
        Assert.StartsWith("whd_", (string?)delivery["id"]);
        Assert.StartsWith("evt_", (string?)delivery["eventId"]);
        Assert.Equal(1, (int)(await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/webhooks/{target}/deliveries"), HttpStatusCode.OK))["total"]!);
        Assert.Empty(await WebhookApi.DeliveriesAsync(api, bystander));
        Assert.Single(await WebhookApi.AuditAsync(api, "webhook.test_sent"));
    }

    [Fact]
    public async Task rotation_answers_a_new_secret_once_and_is_audited()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var created = await WebhookApi.CreateAsync(api, "https://example.com/r");
        var rotated = await ApiClient.ExpectAsync(await api.PostAsync($"/v1/webhooks/{created["id"]}/rotate-secret", null), HttpStatusCode.OK);
        Assert.Matches("^[0-9a-f]{48}$", (string?)rotated["secret"]);
        Assert.NotEqual((string?)created["secret"], (string?)rotated["secret"]);
        Assert.NotNull(rotated["previousSecretExpiresAt"]);
        Assert.Single(await WebhookApi.AuditAsync(api, "webhook.secret_rotated"));
    }

    [Fact]
    public async Task redeliver_of_an_unknown_delivery_is_404()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var id = (string)(await WebhookApi.CreateAsync(api, "https://example.com/x"))["id"]!;
        await ApiClient.ExpectErrorAsync(await api.PostAsync($"/v1/webhooks/{id}/deliveries/whd_nope/redeliver", null), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync($"/v1/webhooks/{id}/deliveries/whd_nope/attempts"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task requests_without_an_api_key_are_401()
    {
        var http = fixture.App.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/webhooks")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/v1/webhooks", JsonContent())).StatusCode);
    }

    private static StringContent JsonContent() => new(new JsonObject { ["url"] = "https://example.com" }.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
