using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Grantex.Browser.Tests.Consent;

/// <summary>
/// Another web site on this machine (its own origin, <c>http://127.0.0.1:PORT</c>): the developer's app that the consent
/// page redirects to, or an attacker's page that tries to frame it. A real server rather than a Playwright route,
/// because Chromium neither routes redirect hops nor lets a page without a known address frame a local one.
/// </summary>
internal sealed class LoopbackSite : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, string> _pages = new(StringComparer.Ordinal);

    private LoopbackSite()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Origin = $"http://127.0.0.1:{Port}";
        _listener.Prefixes.Add(Origin + "/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    /// <summary>One site for the test run (browser tests run one after another).</summary>
    public static LoopbackSite Shared { get; } = new();

    public int Port { get; }

    public string Origin { get; }

    /// <summary>Serves <paramref name="html"/> at <paramref name="path"/>; every other path gets the app's landing page.</summary>
    public string Page(string path, string html)
    {
        _pages[path] = html;
        return Origin + path;
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var html = _pages.TryGetValue(context.Request.Url!.AbsolutePath, out var page)
                ? page
                : "<!doctype html><title>The app</title><h1>Back in the app</h1>";
            var bytes = Encoding.UTF8.GetBytes(html);
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
