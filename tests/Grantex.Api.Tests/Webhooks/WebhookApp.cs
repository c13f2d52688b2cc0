using System.Net;
using System.Text.Json.Nodes;
using Grantex.Core.Webhooks;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Webhooks;

/// <summary>
/// An app for webhook tests with a test DNS (<see cref="TestHostResolver"/>). The default refuses every non-public
/// target, as in production; <see cref="Loopback"/> opens 127.0.0.0/8 (and only it) for a real receiver in the test,
/// with fast retries and short timeouts.
/// </summary>
public class WebhookApp : IAsyncLifetime
{
    public WebhookApp()
        : this(new Dictionary<string, string?>())
    {
    }

    protected WebhookApp(IReadOnlyDictionary<string, string?> settings)
    {
        App = GrantexApp.With(new GrantexAppOptions
        {
            Settings = settings,
            Services = s => s.AddSingleton<IWebhookHostResolver>(Resolver),
        });
    }

    public GrantexApp App { get; }

    public TestHostResolver Resolver { get; } = new();

    public static IReadOnlyDictionary<string, string?> LoopbackSettings => new Dictionary<string, string?>
    {
        ["Grantex:Webhooks:AllowPrivateNetworks:0"] = "127.0.0.0/8",
        ["Grantex:Webhooks:BackoffBase"] = "00:00:00.050",
        ["Grantex:Webhooks:BackoffMax"] = "00:00:00.200",
        ["Grantex:Webhooks:MaxAttempts"] = "3",
        ["Grantex:Webhooks:ConnectTimeout"] = "00:00:02",
        ["Grantex:Webhooks:RequestTimeout"] = "00:00:02",
        ["Grantex:Webhooks:SweepInterval"] = "00:00:00.050",
        ["Grantex:Webhooks:SecretOverlap"] = "01:00:00",
    };

    public Task InitializeAsync() => App.InitializeAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>The app with the loopback allow-list and fast retries.</summary>
    public sealed class Loopback() : WebhookApp(LoopbackSettings);
}

/// <summary>Calls the webhook tests share.</summary>
internal static class WebhookApi
{
    public static async Task<JsonObject> CreateAsync(ApiClient api, string url, params string[] events) =>
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/webhooks", new { url, events = events.Length == 0 ? ["grant.created"] : events }), HttpStatusCode.Created);

    public static async Task<JsonArray> DeliveriesAsync(ApiClient api, string webhookId, string query = "") =>
        (await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/webhooks/{webhookId}/deliveries{query}"), HttpStatusCode.OK))["deliveries"]!.AsArray();

    public static async Task<JsonArray> AttemptsAsync(ApiClient api, string webhookId, string deliveryId) =>
        (await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/webhooks/{webhookId}/deliveries/{deliveryId}/attempts"), HttpStatusCode.OK))["attempts"]!.AsArray();

    /// <summary>Waits until the webhook has a delivery in <paramref name="status"/> and returns it.</summary>
    public static async Task<JsonObject> WaitForAsync(ApiClient api, string webhookId, string status, string? deliveryId = null)
    {
        JsonObject? found = null;
        await Eventually.UntilAsync(async () =>
        {
            found = (await DeliveriesAsync(api, webhookId, $"?status={status}")).Select(d => d!.AsObject())
                .FirstOrDefault(d => deliveryId is null || (string?)d["id"] == deliveryId);
            return found is not null;
        }, $"No {status} delivery for {webhookId}.");
        return found!;
    }

    public static async Task<JsonArray> AuditAsync(ApiClient api, string action) =>
        (await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/audit/entries?action={action}"), HttpStatusCode.OK))["entries"]!.AsArray();

    public static string Signature(string secret, string body) => WebhookSignature.V1(secret, System.Text.Encoding.UTF8.GetBytes(body));

    public static string SignatureV2(string secret, string timestamp, string body) =>
        WebhookSignature.V2(secret, long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetBytes(body));
}
