using System.Net;
using System.Net.Sockets;

namespace Grantex.Core.Webhooks;

/// <summary>
/// Which IP addresses a webhook may reach: public unicast only. Refused (unless a configured CIDR allows it): loopback,
/// private, link-local (cloud metadata at 169.254.169.254), CGNAT, multicast, broadcast, unspecified, documentation and
/// other reserved ranges, and IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are
/// judged by the IPv4 address they carry. Used at creation for literal and resolved hosts, and again for every
/// address the deliverer actually connects to.
/// </summary>
public sealed class WebhookAddressPolicy
{
    private static readonly (IPNetwork Network, string Name)[] ForbiddenV4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified/this network"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (CGNAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (cloud metadata)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved (IETF protocol assignments)"),
        (IPNetwork.Parse("192.0.2.0/24"), "reserved (documentation)"),
        (IPNetwork.Parse("192.88.99.0/24"), "reserved (6to4 relay)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved (benchmarking)"),
        (IPNetwork.Parse("198.51.100.0/24"), "reserved (documentation)"),
        (IPNetwork.Parse("203.0.113.0/24"), "reserved (documentation)"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (incl. broadcast)"),
    ];

    private static readonly (IPNetwork Network, string Name)[] ForbiddenV6 =
    [
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("100::/64"), "reserved (discard)"),
        (IPNetwork.Parse("2001:db8::/32"), "reserved (documentation)"),
        (IPNetwork.Parse("2001:10::/28"), "reserved (ORCHID)"),
        (IPNetwork.Parse("fc00::/7"), "private (unique local)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "reserved (site-local)"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Nat64Local = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");

    private readonly IReadOnlyList<IPNetwork> _allowed;

    public WebhookAddressPolicy(IEnumerable<string> allowedNetworks)
    {
        var allowed = new List<IPNetwork>();
        foreach (var cidr in allowedNetworks)
        {
            if (!IPNetwork.TryParse(cidr.Trim(), out var network))
            {
                throw new ArgumentException($"Grantex:Webhooks:AllowPrivateNetworks: '{cidr}' is not a CIDR range such as 127.0.0.0/8.", nameof(allowedNetworks));
            }

            allowed.Add(network);
        }

        _allowed = allowed;
    }

    /// <summary>Null when the address may be reached; otherwise why not (e.g. "loopback").</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
        {
            address = new IPAddress(address.GetAddressBytes()); // drop the scope id so the ranges below match plainly
        }

        if (_allowed.Any(n => n.Contains(address) || (address.IsIPv4MappedToIPv6 && n.Contains(address.MapToIPv4()))))
        {
            return null;
        }

        return Classify(address);
    }

    private static string? Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ForbiddenV4.FirstOrDefault(f => f.Network.Contains(address)).Name;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return Embedded("IPv4-mapped", address.MapToIPv4());
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || Nat64Local.Contains(address) || (V4Compatible.Contains(address) && !IPAddress.IPv6Any.Equals(address) && !IPAddress.IPv6Loopback.Equals(address)))
        {
            return Embedded("NAT64/IPv4-compatible", new IPAddress(bytes[12..16]));
        }

        if (SixToFour.Contains(address))
        {
            return Embedded("6to4", new IPAddress(bytes[2..6]));
        }

        if (Teredo.Contains(address))
        {
            // The client's IPv4 address is the last 32 bits, inverted.
            return Embedded("Teredo", new IPAddress(bytes[12..16].Select(b => (byte)~b).ToArray()));
        }

        return ForbiddenV6.FirstOrDefault(f => f.Network.Contains(address)).Name;
    }

    private static string? Embedded(string form, IPAddress v4) =>
        Classify(v4) is { } reason ? $"{form} form of a {reason} address" : null;
}
