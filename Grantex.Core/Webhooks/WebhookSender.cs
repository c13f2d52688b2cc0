using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Webhooks;

/// <summary>
/// Sends one delivery. The HTTP client is built so a webhook cannot be turned against the server's own network:
/// every connection goes through <see cref="ConnectAsync"/>, which resolves the host itself and refuses the attempt
/// if any address is not public (DNS may answer differently than at creation, e.g. rebinding); no proxy (it would
/// connect for us, unchecked); redirects are not followed (a 3xx is a failed attempt); short connect and total
/// timeouts; only a bounded prefix of the response is read.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const string UserAgent = "Grantex-Webhooks/1.0";

    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly WebhookUrlPolicy _urls;
    private readonly IWebhookHostResolver _resolver;
    private readonly TimeProvider _time;

    public WebhookSender(IOptions<WebhookOptions> options, WebhookUrlPolicy urls, IWebhookHostResolver resolver, TimeProvider time)
    {
        _options = options.Value;
        _urls = urls;
        _resolver = resolver;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = _options.ConnectTimeout,
            MaxConnectionsPerServer = _options.MaxConcurrencyPerWebhook,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            MaxResponseHeadersLength = 16,
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<WebhookAttemptResult> SendAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var request = Build(message);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadPrefixAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            var ok = status is >= 200 and < 300;
            var error = ok ? null : status is >= 300 and < 400 ? $"HTTP {status} (redirects are not followed)" : $"HTTP {status}";
            return new WebhookAttemptResult(ok, status, Elapsed(started), error, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttemptResult(false, null, Elapsed(started), $"Timed out after {_options.RequestTimeout.TotalSeconds:0.###} s", null);
        }
        catch (HttpRequestException ex)
        {
            var forbidden = FindForbidden(ex);
            return new WebhookAttemptResult(false, null, Elapsed(started), forbidden?.Message ?? Describe(ex), null);
        }
    }

    private HttpRequestMessage Build(WebhookMessage message)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, message.Url) { Content = new ByteArrayContent(message.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var headers = request.Headers;
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        headers.Add(WebhookSignature.Header, WebhookSignature.V1(message.Secret, message.Body));
        headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.Add(WebhookSignature.HeaderV2, WebhookSignature.V2(message.Secret, timestamp, message.Body));
        if (message.PreviousSecret is { } previous)
        {
            headers.Add(WebhookSignature.PreviousHeader, WebhookSignature.V1(previous, message.Body));
            headers.Add(WebhookSignature.PreviousHeaderV2, WebhookSignature.V2(previous, timestamp, message.Body));
        }

        headers.Add(WebhookSignature.EventIdHeader, message.EventId);
        headers.Add(WebhookSignature.DeliveryIdHeader, message.DeliveryId);
        return request;
    }

    private async Task<string?> ReadPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = _options.MaxResponseBytes;
        if (max == 0)
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[max];
        var read = 0;
        while (read < max)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read, max - read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        // Whatever is left is never read: disposing the response drops the connection instead of draining it.
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>Resolves, checks every address, and connects only to checked ones.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.TrimEnd('.');
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await _resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new WebhookTargetForbiddenException($"{host} did not resolve to any address");
        }

        foreach (var address in addresses)
        {
            if (_urls.ConnectRefusal(host, address) is { } reason)
            {
                throw new WebhookTargetForbiddenException($"Refused to connect: {host} resolves to {address}, which is {reason}");
            }
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private static WebhookTargetForbiddenException? FindForbidden(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is WebhookTargetForbiddenException forbidden)
            {
                return forbidden;
            }
        }

        return null;
    }

    private static string Describe(HttpRequestException ex)
    {
        var inner = ex.InnerException is SocketException socket ? socket.Message : ex.InnerException?.Message ?? ex.Message;
        var text = ex.HttpRequestError == HttpRequestError.Unknown ? inner : $"{ex.HttpRequestError}: {inner}";
        return text.Length > WebhookAttempt.MaxErrorLength ? text[..WebhookAttempt.MaxErrorLength] : text;
    }

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

    public void Dispose() => _http.Dispose();
}
