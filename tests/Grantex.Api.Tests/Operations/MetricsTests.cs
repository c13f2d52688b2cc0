using System.Net;
using Grantex.Api.Tests.Consent;
using Grantex.Api.Tests.Webhooks;
using Grantex.Testing;
using Microsoft.AspNetCore.Http;

namespace Grantex.Api.Tests.Operations;

/// <summary>
/// <c>/metrics</c>: absent unless <c>Grantex:Metrics:Enabled</c>; when enabled, the Grantex meter's counters move by
/// exactly what a flow did (each host has its own meter, so other tests running at the same time do not show here).
/// </summary>
public sealed class MetricsTests(MetricsTests.MetricsApp fixture) : IClassFixture<MetricsTests.MetricsApp>
{
    [Fact]
    public async Task metrics_are_not_served_by_default()
    {
        await using var app = new GrantexApp();
        var response = await app.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("grantex_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_grant_flow_moves_the_grant_verification_and_consent_counters_by_what_it_did()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var agent = await api.CreateAgentAsync();
        var before = await ScrapeAsync();

        var grant = await api.GrantAsync(agent, ["read"]);
        var token = (string)grant["grantToken"]!;
        Assert.True(await api.VerifyAsync(token));
        Assert.True(await api.VerifyAsync(token));
        await ApiClient.ExpectAsync(await api.Http.DeleteAsync($"/v1/grants/{(string)grant["grantId"]!}"), HttpStatusCode.NoContent);
        Assert.False(await api.VerifyAsync(token));
        Assert.False(await api.VerifyAsync("not.a.token"));

        var after = await ScrapeAsync();
        Assert.Equal(1, Delta(before, after, "grantex_grants_issued_total", "kind=\"root\""));
        Assert.Equal(0, Delta(before, after, "grantex_grants_issued_total", "kind=\"delegated\""));
        Assert.Equal(1, Delta(before, after, "grantex_grants_revoked_total"));
        Assert.Equal(2, Delta(before, after, "grantex_token_verifications_total", "result=\"valid\""));
        Assert.Equal(1, Delta(before, after, "grantex_token_verifications_total", "result=\"revoked\""));
        Assert.Equal(1, Delta(before, after, "grantex_token_verifications_total", "result=\"invalid\""));
        Assert.Equal(1, Delta(before, after, "grantex_consent_decisions_total", "decision=\"approved\""));
        // Sandbox approval, grant creation and revocation are audited at least.
        Assert.True(Delta(before, after, "grantex_audit_appends_total") >= 3);
        Assert.True(Delta(before, after, "grantex_writer_commit_duration_seconds_count") >= 3);
        Assert.True(after.Has("grantex_writer_queue_depth"));
        Assert.True(after.Has("http_server_request_duration_seconds_bucket"), "ASP.NET Core's own metrics are exported too");
    }

    [SqliteFact]
    public async Task the_background_wal_checkpoints_are_measured()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var before = await ScrapeAsync();
        await api.CreateAgentAsync();
        await Eventually.UntilAsync(
            async () => Delta(before, await ScrapeAsync(), "grantex_sqlite_checkpoint_duration_seconds_count") >= 1,
            "No background WAL checkpoint was measured after a write.");
        Assert.True((await ScrapeAsync()).Has("grantex_sqlite_checkpoint_log_size_bucket"));
    }

    [Fact]
    public async Task a_denied_request_counts_as_a_denied_decision()
    {
        var scenario = await ConsentScenario.CreateAsync(fixture.App);
        var id = await scenario.AuthorizeAsync();
        using var browser = scenario.Browser();
        var token = await ConsentScenario.OpenConsentPageAsync(browser, id);
        var before = await ScrapeAsync();

        var post = await browser.PostAsync($"/consent?req={id}", ConsentScenario.DecisionForm(token, "deny"));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);

        var after = await ScrapeAsync();
        Assert.Equal(1, Delta(before, after, "grantex_consent_decisions_total", "decision=\"denied\""));
        Assert.Equal(0, Delta(before, after, "grantex_consent_decisions_total", "decision=\"approved\""));
    }

    [Fact]
    public async Task webhook_attempts_are_counted_by_outcome()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (ctx, n) =>
        {
            ctx.Response.StatusCode = n == 1 ? 500 : 200;
            return ctx.Response.WriteAsync("x");
        };
        var api = await ApiClient.CreateAsync(fixture.App);
        var hook = await WebhookApi.CreateAsync(api, receiver.Url(), "grant.created");
        var before = await ScrapeAsync();

        await api.GrantAsync(await api.CreateAgentAsync());
        await WebhookApi.WaitForAsync(api, (string)hook["id"]!, "delivered");

        // The outcome is counted once its row is committed, which the delivery list may show a moment earlier.
        PrometheusText after = before;
        await Eventually.UntilAsync(async () =>
        {
            after = await ScrapeAsync();
            return Delta(before, after, "grantex_webhook_deliveries_total", "outcome=\"delivered\"") >= 1;
        }, "The delivered attempt was not counted.");
        Assert.Equal(1, Delta(before, after, "grantex_webhook_deliveries_total", "outcome=\"delivered\""));
        Assert.Equal(1, Delta(before, after, "grantex_webhook_deliveries_total", "outcome=\"retry_scheduled\""));
        Assert.Equal(0, Delta(before, after, "grantex_webhook_deliveries_total", "outcome=\"failed\""));
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        var response = await fixture.App.CreateClient().GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new PrometheusText(text);
    }

    private static double Delta(PrometheusText before, PrometheusText after, string metric, params string[] labels) =>
        after.Sum(metric, labels) - before.Sum(metric, labels);

    /// <summary>Metrics on, and a loopback webhook receiver allowed with fast retries.</summary>
    public sealed class MetricsApp() : WebhookApp(new Dictionary<string, string?>(LoopbackSettings) { ["Grantex:Metrics:Enabled"] = "true" });
}
