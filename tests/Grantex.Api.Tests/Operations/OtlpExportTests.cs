using Grantex.Testing;

namespace Grantex.Api.Tests.Operations;

/// <summary>
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set: metrics and traces reach a real HTTP receiver standing in for a collector
/// (OTLP over HTTP/protobuf), while <c>/metrics</c> stays off.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task with_an_otlp_endpoint_metrics_and_request_traces_are_sent_to_it()
    {
        await using var collector = await WebhookReceiver.StartAsync();
        await using var app = GrantexApp.With(new GrantexAppOptions
        {
            Settings = new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url(""),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            },
        });
        var api = await ApiClient.CreateAsync(app);
        await api.GrantAsync(await api.CreateAgentAsync());

        await Eventually.UntilAsync(
            () => Task.FromResult(collector.Requests.Any(r => r.Path == "/v1/metrics") && collector.Requests.Any(r => r.Path == "/v1/traces")),
            "No OTLP metrics and traces arrived.");
        Assert.All(collector.Requests, r => Assert.Equal("application/x-protobuf", r.Header("Content-Type")));
        // The Grantex meter is among the exported scopes (protobuf keeps names as plain UTF-8).
        await Eventually.UntilAsync(
            () => Task.FromResult(collector.Requests.Any(r => r.Path == "/v1/metrics" && r.Body.Contains("grantex.grants.issued", StringComparison.Ordinal))),
            "grantex.grants.issued was not exported.");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/metrics")).StatusCode);
    }
}
