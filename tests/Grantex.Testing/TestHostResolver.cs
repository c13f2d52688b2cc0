using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Grantex.Core.Webhooks;

namespace Grantex.Testing;

/// <summary>
/// A DNS for webhook tests: names answer what the test set (and may change, as a rebinding attacker's DNS would);
/// IP literals answer themselves; any other name does not exist.
/// </summary>
public sealed class TestHostResolver : IWebhookHostResolver
{
    public ConcurrentDictionary<string, IPAddress[]> Answers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return Task.FromResult<IPAddress[]>([literal]);
        }

        return Answers.TryGetValue(host.TrimEnd('.'), out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
