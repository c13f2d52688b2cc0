using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grantex.Testing;

/// <summary>
/// A real HTTP receiver for webhook tests: Kestrel on 127.0.0.1 with a free port. Every request is recorded (headers
/// and body) and answered by <see cref="Respond"/>, which gets the request's 1-based number for its path.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url(string path = "/hook") => $"http://127.0.0.1:{Port}{path}";

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>How to answer: default 200 with a short body.</summary>
    public Func<HttpContext, int, Task> Respond { get; set; } = (ctx, _) => ctx.Response.WriteAsync("ok");

    /// <summary>Starts listening on <paramref name="port"/> (0: any free port).</summary>
    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.Run(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync(ctx.RequestAborted);
            var n = receiver!._counts.AddOrUpdate(ctx.Request.Path.Value ?? "/", 1, (_, c) => c + 1);
            receiver.Requests.Enqueue(new Received(ctx.Request.Path.Value ?? "/", ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            await receiver.Respond(ctx, n);
        });
        await app.StartAsync();
        var bound = port != 0 ? port : new Uri(app.Urls.First()).Port;
        receiver = new WebhookReceiver(app, bound);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    /// <summary>One request as the receiver saw it.</summary>
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : "";
    }
}
