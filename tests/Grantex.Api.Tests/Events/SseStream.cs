using System.Net.Http.Headers;
using System.Text;

namespace Grantex.Api.Tests.Events;

/// <summary>One server-sent event or comment as it came over the wire.</summary>
public sealed record SseFrame(string? Id, string? Data, string? Comment, IReadOnlyList<string> Lines);

/// <summary>
/// A test's open <c>/v1/events/stream</c>: the response (its headers arrive once the server listens) and a line reader
/// that splits frames on blank lines. Every read is bounded by <see cref="Grantex.Testing.Eventually.Deadline"/>.
/// </summary>
public sealed class SseStream : IAsyncDisposable
{
    private StreamReader? _reader;

    private SseStream(HttpResponseMessage response)
    {
        Response = response;
    }

    public HttpResponseMessage Response { get; }

    /// <summary>Opens the stream; the caller checks <see cref="Response"/>'s status.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var deadline = new CancellationTokenSource(Grantex.Testing.Eventually.Deadline);
        return new SseStream(await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token));
    }

    /// <summary>The next frame: an event (id and data lines) or a comment.</summary>
    public async Task<SseFrame> NextFrameAsync()
    {
        using var deadline = new CancellationTokenSource(Grantex.Testing.Eventually.Deadline);
        _reader ??= new StreamReader(await Response.Content.ReadAsStreamAsync(deadline.Token), Encoding.UTF8);
        var lines = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(deadline.Token) ?? throw new Xunit.Sdk.XunitException("The stream ended.");
            if (line.Length == 0)
            {
                if (lines.Count > 0)
                {
                    break;
                }

                continue;
            }

            lines.Add(line);
        }

        string? Field(string prefix) => lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]).SingleOrDefault();
        return new SseFrame(Field("id: "), Field("data: "), Field(": "), lines);
    }

    /// <summary>The next event, skipping keepalive comments.</summary>
    public async Task<SseFrame> NextEventAsync()
    {
        while (true)
        {
            var frame = await NextFrameAsync();
            if (frame.Comment is null)
            {
                return frame;
            }
        }
    }

    public async Task<List<SseFrame>> NextEventsAsync(int count)
    {
        var events = new List<SseFrame>();
        while (events.Count < count)
        {
            events.Add(await NextEventAsync());
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        _reader?.Dispose();
        Response.Dispose();
        return ValueTask.CompletedTask;
    }
}
