using System.Net;

namespace Grantex.Core.Webhooks;

/// <summary>
/// Turns a webhook's host name into addresses, at creation and at every connect. A seam so tests can play a DNS
/// that changes its answer between the two (rebinding) without a real DNS server.
/// </summary>
public interface IWebhookHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system resolver.</summary>
public sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
