using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Sso;

/// <summary>
/// The HTTP handler for every call to an identity provider (discovery, keys, code exchange): the address actually
/// connected to must be public unless <see cref="SsoOptions.AllowPrivateNetworks"/> (checked at connect time, so a
/// name that resolves elsewhere later is caught too), no redirects, a short timeout, and a bounded response.
/// </summary>
public sealed class SsoHttp(IOptions<SsoOptions> options)
{
    public const long MaxResponseBytes = 512 * 1024;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectTimeout = Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = ConnectAsync,
    };

    public HttpClient CreateClient() => new(CreateHandler()) { Timeout = Timeout, MaxResponseContentBufferSize = MaxResponseBytes };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => options.Value.AllowPrivateNetworks || IsPublic(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} is not a public address; identity providers must be reachable on the internet.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>False for loopback, private (RFC 1918, ULA), link-local, CGNAT, multicast, unspecified and IPv4-mapped forms of them.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || b[0] == 127 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] >= 224);
        }

        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
    }
}
