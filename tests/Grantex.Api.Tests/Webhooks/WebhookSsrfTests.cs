using System.Net;

namespace Grantex.Api.Tests.Webhooks;

/// <summary>
/// No server-side request forgery at creation: every non-public address, in every spelling, and names that resolve to
/// one, are refused with <c>WEBHOOK_URL_FORBIDDEN</c>, audited, and nothing is stored.
/// </summary>
public sealed class WebhookSsrfTests(WebhookApp fixture) : IClassFixture<WebhookApp>
{
    [Theory]
    [InlineData("http://127.0.0.1/h")]
    [InlineData("http://127.255.255.254/h")]
    [InlineData("http://2130706433/h")] // decimal
    [InlineData("http://0x7f000001/h")] // hex
    [InlineData("http://0177.0.0.1/h")] // octal
    [InlineData("http://0x7f.1/h")]
    [InlineData("http://127.1/h")] // short form
    [InlineData("http://10.1/h")]
    [InlineData("http://10.0.0.1/h")]
    [InlineData("http://172.16.0.1/h")]
    [InlineData("http://172.31.255.255/h")]
    [InlineData("http://192.168.1.1/h")]
    [InlineData("http://169.254.169.254/latest/meta-data/")] // cloud metadata
    [InlineData("http://169.254.1.1/h")]
    [InlineData("http://100.64.0.1/h")] // CGNAT
    [InlineData("http://100.127.255.255/h")]
    [InlineData("http://224.0.0.1/h")] // multicast
    [InlineData("http://239.255.255.250/h")]
    [InlineData("http://255.255.255.255/h")] // broadcast
    [InlineData("http://0.0.0.0/h")] // unspecified
    [InlineData("http://0/h")]
    [InlineData("http://240.0.0.1/h")] // reserved
    [InlineData("http://192.0.2.1/h")] // documentation
    [InlineData("http://198.18.0.1/h")] // benchmarking
    [InlineData("http://[::1]/h")]
    [InlineData("http://[::]/h")]
    [InlineData("http://[0:0:0:0:0:0:0:1]/h")]
    [InlineData("http://[::ffff:127.0.0.1]/h")] // IPv4-mapped
    [InlineData("http://[::ffff:7f00:1]/h")]
    [InlineData("http://[::ffff:169.254.169.254]/h")]
    [InlineData("http://[::ffff:10.0.0.1]/h")]
    [InlineData("http://[::127.0.0.1]/h")] // IPv4-compatible
    [InlineData("http://[64:ff9b::7f00:1]/h")] // NAT64 of 127.0.0.1
    [InlineData("http://[64:ff9b::10.0.0.1]/h")]
    [InlineData("http://[64:ff9b:1::a9fe:a9fe]/h")] // local-use NAT64 of 169.254.169.254
    [InlineData("http://[2002:7f00:1::1]/h")] // 6to4 of 127.0.0.1
    [InlineData("http://[2002:c0a8:101::1]/h")] // 6to4 of 192.168.1.1
    [InlineData("http://[fc00::1]/h")]
    [InlineData("http://[fd12:3456::1]/h")]
    [InlineData("http://[fe80::1]/h")]
    [InlineData("http://[fe80::1%25eth0]/h")]
    [InlineData("http://[ff02::1]/h")]
    [InlineData("http://localhost/h")]
    [InlineData("http://LOCALHOST/h")]
    [InlineData("http://localhost./h")] // trailing dot
    [InlineData("http://api.localhost/h")]
    [InlineData("http://127.0.0.1./h")]
    [InlineData("http://1.2.3.4.5/h")] // looks like an address, is none
    [InlineData("http://09.1.1.1/h")]
    [InlineData("https://127.0.0.1:8443/h")]
    public async Task a_non_public_target_in_any_spelling_is_refused_and_audited(string url)
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        var body = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/webhooks", new { url, events = new[] { "grant.created" } }), HttpStatusCode.BadRequest, "WEBHOOK_URL_FORBIDDEN");
        Assert.Equal(["url"], body["fields"]!.AsArray().Select(f => (string)f!));
        Assert.Empty((await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/webhooks"), HttpStatusCode.OK))["webhooks"]!.AsArray());
        var audit = Assert.Single(await WebhookApi.AuditAsync(api, "webhook.url_refused"))!;
        Assert.Equal(url, (string?)audit["metadata"]!["url"]);
    }

    [Theory]
    [InlineData("10.0.0.7")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("::1")]
    [InlineData("fd00::5")]
    [InlineData("::ffff:192.168.0.1")]
    public async Task a_name_that_resolves_to_a_non_public_address_is_refused(string address)
    {
        var host = $"internal-{Guid.NewGuid():N}.example.com";
        fixture.Resolver.Answers[host] = [IPAddress.Parse("93.184.216.34"), IPAddress.Parse(address)];
        var api = await ApiClient.CreateAsync(fixture.App);
        var body = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/webhooks", new { url = $"https://{host}/h", events = new[] { "grant.created" } }), HttpStatusCode.BadRequest, "WEBHOOK_URL_FORBIDDEN");
        Assert.Contains(IPAddress.Parse(address).ToString(), (string)body["message"]!);
    }

    [Theory]
    [InlineData("https://93.184.216.34/h")]
    [InlineData("https://[2606:2800:220:1:248:1893:25c8:1946]/h")]
    [InlineData("https://public.example.com/h")]
    [InlineData("https://unresolvable.invalid/h")] // no answer now: the connect-time check still applies
    public async Task public_targets_are_accepted(string url)
    {
        fixture.Resolver.Answers["public.example.com"] = [IPAddress.Parse("93.184.216.34")];
        var api = await ApiClient.CreateAsync(fixture.App);
        await WebhookApi.CreateAsync(api, url);
    }
}
