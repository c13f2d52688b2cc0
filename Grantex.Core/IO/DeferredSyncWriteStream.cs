namespace Grantex.Core.IO;

/// <summary>
/// A write-only, forward-only stream in front of an output that refuses synchronous I/O (Kestrel's response body).
/// <see cref="System.IO.Compression.ZipArchive"/> writes entry data asynchronously, but a few small pieces
/// synchronously (the last deflate block of an entry, data descriptors): those are kept here and sent asynchronously
/// before the next asynchronous write or at <see cref="FlushAsync(CancellationToken)"/>. They are a few KB per entry,
/// so memory stays bounded; <see cref="MaxPending"/> reports the largest amount ever held.
/// </summary>
internal sealed class DeferredSyncWriteStream(Stream output) : Stream
{
    private readonly MemoryStream _pending = new();
    private long _position;

    public long MaxPending { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _pending.Write(buffer);
        _position += buffer.Length;
        MaxPending = Math.Max(MaxPending, _pending.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await SendPendingAsync(cancellationToken);
        await output.WriteAsync(buffer, cancellationToken);
        _position += buffer.Length;
    }

    /// <summary>Nothing is sent synchronously; a synchronous flush only keeps the bytes for the next asynchronous one.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendPendingAsync(cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        await output.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken);
        _pending.SetLength(0);
    }
}
