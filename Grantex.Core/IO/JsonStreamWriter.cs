using System.Buffers;
using System.Text.Json;

namespace Grantex.Core.IO;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> over a small buffer that is sent to the output asynchronously whenever it passes
/// 32 KB: an export of any size is written progressively with constant memory, and never with synchronous I/O.
/// Also writes JSON Lines (one root value per line).
/// </summary>
internal sealed class JsonStreamWriter : IAsyncDisposable
{
    private const int FlushThreshold = 32 * 1024;
    private static readonly JsonWriterOptions Options = new() { Indented = false };
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly Stream _output;

    public JsonStreamWriter(Stream output)
    {
        _output = output;
        Json = new Utf8JsonWriter(_buffer, Options);
    }

    public Utf8JsonWriter Json { get; }

    /// <summary>Sends the buffer once it is large enough; call between values.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken) =>
        Json.BytesPending + _buffer.WrittenCount >= FlushThreshold ? new ValueTask(FlushAsync(cancellationToken)) : ValueTask.CompletedTask;

    /// <summary>Ends a JSON Lines record: a newline, and the writer is ready for the next root value.</summary>
    public ValueTask EndLineAsync(CancellationToken cancellationToken)
    {
        Json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        Json.Reset();
        return FlushIfFullAsync(cancellationToken);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Json.Flush();
        if (_buffer.WrittenCount > 0)
        {
            await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken);
            _buffer.ResetWrittenCount();
        }
    }

    public ValueTask DisposeAsync() => Json.DisposeAsync();
}
