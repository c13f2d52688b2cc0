using System.Net;
using Grantex.Core.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Webhooks;

/// <summary>
/// Whether a webhook URL may be registered: absolute http(s), no credentials or fragment, at most
/// <see cref="MaxLength"/> characters, https in production, and a host that is not — and does not resolve to — a
/// non-public address (<see cref="WebhookAddressPolicy"/>). <see cref="System.Uri"/> already turns every IPv4 spelling
/// (decimal <c>2130706433</c>, hex <c>0x7f000001</c>, octal <c>0177.0.0.1</c>, short <c>127.1</c>) into dotted form,
/// so the address policy judges the address itself; a name whose last label is a number but is no valid address is
/// refused as ambiguous. The deliverer checks again at connect time, since DNS can answer differently later.
/// </summary>
public sealed class WebhookUrlPolicy(IOptions<WebhookOptions> options, IWebhookHostResolver resolver, WebhookAddressPolicy addresses, IHostEnvironment? environment = null)
{
    public const int MaxLength = 2048;

    /// <summary>The machine code of an SSRF refusal.</summary>
    public const string ForbiddenCode = "WEBHOOK_URL_FORBIDDEN";

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Configured, else required in Production (and wherever no host environment says otherwise).</summary>
    public bool RequireHttps => options.Value.RequireHttps ?? environment?.IsProduction() ?? true;

    /// <summary>The URL's shape: scheme, credentials, fragment, length, https. Errors are plain 400s.</summary>
    public Result<Uri> CheckShape(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return GxError.BadRequest("url is required.", "url");
        }

        if (url.Length > MaxLength)
        {
            return GxError.BadRequest($"url must be at most {MaxLength} characters.", "url");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || url.Any(char.IsWhiteSpace))
        {
            return GxError.BadRequest("url must be an absolute http or https URL.", "url");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return GxError.BadRequest($"url must use http or https, not {uri.Scheme}.", "url");
        }

        if (uri.UserInfo.Length > 0 || url.AsSpan(uri.Scheme.Length + 3).IndexOf('@') is >= 0 and var at && at < HostEnd(url, uri))
        {
            return GxError.BadRequest("url must not contain credentials (user:password@).", "url");
        }

        if (uri.Fragment.Length > 0 || url.Contains('#'))
        {
            return GxError.BadRequest("url must not contain a fragment (#…).", "url");
        }

        if (RequireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            return GxError.BadRequest("url must use https on this server.", "url");
        }

        return uri;
    }

    /// <summary>
    /// The target: the host as written (a literal address or a name) and every address it resolves to now. A refusal
    /// carries <see cref="ForbiddenCode"/>. A name that does not resolve now is accepted (the connect-time check
    /// still applies), so registering a receiver before its DNS exists works.
    /// </summary>
    public async Task<GxError?> CheckTargetAsync(Uri uri, CancellationToken cancellationToken)
    {
        var host = Host(uri);
        if (IsAllowedHost(host))
        {
            return null;
        }

        if (Literal(uri) is { } literal)
        {
            return addresses.Refusal(literal) is { } reason ? Forbidden($"its address {literal} is {reason}") : null;
        }

        if (host.Length == 0 || host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return Forbidden("localhost is loopback");
        }

        var lastLabel = host[(host.LastIndexOf('.') + 1)..];
        if (lastLabel.Length > 0 && (lastLabel.All(char.IsAsciiDigit) || lastLabel.StartsWith("0x", StringComparison.OrdinalIgnoreCase)))
        {
            return Forbidden("its host looks like an IP address but is not a valid one");
        }

        IPAddress[] resolved;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            resolved = await resolver.ResolveAsync(host, timeout.Token);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        foreach (var address in resolved)
        {
            if (addresses.Refusal(address) is { } reason)
            {
                return Forbidden($"{host} resolves to {address}, which is {reason}");
            }
        }

        return null;
    }

    /// <summary>Whether the deliverer may connect to <paramref name="address"/> for <paramref name="host"/>.</summary>
    public string? ConnectRefusal(string host, IPAddress address) =>
        IsAllowedHost(host) ? null : addresses.Refusal(address);

    /// <summary>The host without IPv6 brackets or a trailing dot (<c>localhost.</c> is <c>localhost</c>).</summary>
    public static string Host(Uri uri) => uri.IdnHost.TrimEnd('.');

    /// <summary>The address when the host is an IP literal (in its canonical form, without an IPv6 zone).</summary>
    public static IPAddress? Literal(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) ? address : null;

    private bool IsAllowedHost(string host) =>
        options.Value.AllowedHosts.Any(h => string.Equals(h.TrimEnd('.'), host, StringComparison.OrdinalIgnoreCase));

    private static GxError Forbidden(string why) =>
        new GxError(GxErrorKind.Validation, ForbiddenCode, $"url is not allowed: {why}. Webhooks may only reach public addresses.").For("url");

    private static int HostEnd(string url, Uri uri)
    {
        var rest = url.AsSpan(uri.Scheme.Length + 3);
        var end = rest.IndexOfAny('/', '?', '#');
        return end < 0 ? rest.Length : end;
    }
}
