using System.Text;
using Grantex.Core.Events;
using Microsoft.AspNetCore.Http.Features;

namespace Grantex.Console.Api;

/// <summary>
/// Writes one subscription as server-sent events in the reference's format: each event is <c>data: &lt;envelope&gt;</c>
/// and a blank line, the envelope being the stored body byte for byte. Beyond the reference each event has an
/// <c>id:</c> line (the client's <c>Last-Event-ID</c> on reconnect); no <c>event:</c> line, so browsers' default
/// <c>onmessage</c> listeners keep working. A <c>: keepalive</c> comment goes out after each quiet heartbeat interval.
/// Runs until the client goes away or the server stops; the subscription (and its connection slot) is released then.
/// </summary>
public sealed class EventStreamResult(EventSubscription subscription, TimeSpan heartbeat) : IResult
{
    public const string ContentType = "text/event-stream";

    private static readonly byte[] Keepalive = Encoding.UTF8.GetBytes(": keepalive\n\n");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var owned = subscription;
        var stopping = httpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        var cancellationToken = done.Token;

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        try
        {
            // The headers go out once the subscription is listening: from then on nothing the client should see is missed.
            await response.StartAsync(cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var events = await subscription.ReadAsync(heartbeat, cancellationToken);
                await response.Body.WriteAsync(events.Count == 0 ? Keepalive : Frame(events), cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away or the server is stopping: the normal end of a stream.
        }
        catch (IOException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The connection closed under a write.
        }
    }

    /// <summary>The wire text of <paramref name="events"/>: <c>id:</c> and <c>data:</c> lines, a blank line after each.</summary>
    public static byte[] Frame(IReadOnlyList<GrantexEvent> events)
    {
        var text = new StringBuilder();
        foreach (var e in events)
        {
            // The envelope is compact JSON: a newline inside a string is escaped, so the body is always one line.
            text.Append("id: ").Append(e.Id).Append('\n').Append("data: ").Append(e.Body).Append("\n\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
