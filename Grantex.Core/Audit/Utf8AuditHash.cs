using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Grantex.Core.Common;

namespace Grantex.Core.Audit;

/// <summary>
/// <see cref="AuditHash"/> computed straight from the stored UTF-8 bytes of an entry's fields, with no string or
/// per-entry allocation: the chain walks hash every entry of a chain, millions at a time. It covers the common case
/// only: a text field that JSON.stringify would escape (quote, backslash, control character) or that is not valid
/// UTF-8 makes <see cref="TryAppendString"/> return false, and the caller hashes that entry with <see cref="AuditHash"/>
/// instead. For every field it accepts, the bytes written are those AuditHash writes: a valid UTF-8 text decodes and
/// re-encodes to the same bytes, and JSON.stringify leaves every other character as it is.
/// </summary>
internal sealed class Utf8AuditHash : IDisposable
{
    private static readonly SearchValues<byte> Escaped = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Utf8IsoTime _time = new();
    private byte[] _buffer = new byte[1024];
    private int _length;
    private bool _textsKnownPlain;

    public void Reset() => _length = 0;

    /// <summary>Appends literal JSON (field names and punctuation).</summary>
    public void AppendLiteral(ReadOnlySpan<byte> utf8)
    {
        Ensure(utf8.Length);
        utf8.CopyTo(_buffer.AsSpan(_length));
        _length += utf8.Length;
    }

    /// <summary>Appends a stored text as a JSON string; false when it needs escaping or is not valid UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAppendString(ReadOnlySpan<byte> utf8)
    {
        if (!_textsKnownPlain && (utf8.IndexOfAny(Escaped) >= 0 || !IsValidText(utf8)))
        {
            return false;
        }

        Ensure(utf8.Length + 2);
        _buffer[_length++] = (byte)'"';
        utf8.CopyTo(_buffer.AsSpan(_length));
        _length += utf8.Length;
        _buffer[_length++] = (byte)'"';
        return true;
    }

    /// <summary>Appends stored canonical JSON (the metadata) as it is; false when it is not valid UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAppendJson(ReadOnlySpan<byte> utf8)
    {
        if (!IsValidText(utf8))
        {
            return false;
        }

        AppendLiteral(utf8);
        return true;
    }

    /// <summary>Appends a stored time (Unix milliseconds) as the quoted ISO text of <see cref="TimeFormat.Iso"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AppendTimestamp(long unixMillis)
    {
        Ensure(Utf8IsoTime.MaxLength + 2);
        _buffer[_length++] = (byte)'"';
        _length += _time.Write(unixMillis, _buffer.AsSpan(_length));
        _buffer[_length++] = (byte)'"';
    }

    /// <summary>SHA-256 of what was appended, as 64 lowercase hex digits (UTF-8) in <paramref name="hex"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Finish(Span<byte> hex)
    {
        Span<byte> hash = stackalloc byte[32];
        _sha.AppendData(_buffer, 0, _length);
        _sha.GetHashAndReset(hash);
        if (!Convert.TryToHexStringLower(hash, hex, out _))
        {
            throw new InvalidOperationException("The hex buffer is too small.");
        }
    }

    /// <summary>The whole hash input for an entry, from its stored fields; false when one needs the string path.</summary>
    /// <param name="textsArePlain">
    /// The caller has checked that every text but the metadata is printable ASCII with no quote or backslash (the
    /// audit pack checks a row's texts in two scans), so they are not scanned again here; the metadata still is.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryWriteEntry(
        ReadOnlySpan<byte> id, ReadOnlySpan<byte> agentId, ReadOnlySpan<byte> agentDid, ReadOnlySpan<byte> grantId, ReadOnlySpan<byte> principalId,
        ReadOnlySpan<byte> developerId, ReadOnlySpan<byte> action, ReadOnlySpan<byte> metadata, long timestamp, bool prevIsNull, ReadOnlySpan<byte> prevHash,
        ReadOnlySpan<byte> status, bool textsArePlain = false)
    {
        _textsKnownPlain = textsArePlain;
        try
        {
            return WriteEntry(id, agentId, agentDid, grantId, principalId, developerId, action, metadata, timestamp, prevIsNull, prevHash, status);
        }
        finally
        {
            _textsKnownPlain = false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool WriteEntry(
        ReadOnlySpan<byte> id, ReadOnlySpan<byte> agentId, ReadOnlySpan<byte> agentDid, ReadOnlySpan<byte> grantId, ReadOnlySpan<byte> principalId,
        ReadOnlySpan<byte> developerId, ReadOnlySpan<byte> action, ReadOnlySpan<byte> metadata, long timestamp, bool prevIsNull, ReadOnlySpan<byte> prevHash,
        ReadOnlySpan<byte> status)
    {
        Reset();
        AppendLiteral("{\"id\":"u8);
        if (!TryAppendString(id))
        {
            return false;
        }

        AppendLiteral(",\"agentId\":"u8);
        if (!TryAppendString(agentId))
        {
            return false;
        }

        AppendLiteral(",\"agentDid\":"u8);
        if (!TryAppendString(agentDid))
        {
            return false;
        }

        AppendLiteral(",\"grantId\":"u8);
        if (!TryAppendString(grantId))
        {
            return false;
        }

        AppendLiteral(",\"principalId\":"u8);
        if (!TryAppendString(principalId))
        {
            return false;
        }

        AppendLiteral(",\"developerId\":"u8);
        if (!TryAppendString(developerId))
        {
            return false;
        }

        AppendLiteral(",\"action\":"u8);
        if (!TryAppendString(action))
        {
            return false;
        }

        AppendLiteral(",\"metadata\":"u8);
        if (!TryAppendJson(metadata))
        {
            return false;
        }

        AppendLiteral(",\"timestamp\":"u8);
        AppendTimestamp(timestamp);
        AppendLiteral(",\"prevHash\":"u8);
        if (prevIsNull)
        {
            AppendLiteral("null"u8);
        }
        else if (!TryAppendString(prevHash))
        {
            return false;
        }

        AppendLiteral(",\"status\":"u8);
        if (!TryAppendString(status))
        {
            return false;
        }

        AppendLiteral("}"u8);
        return true;
    }

    public void Dispose() => _sha.Dispose();

    private static bool IsValidText(ReadOnlySpan<byte> utf8) => Ascii.IsValid(utf8) || Utf8.IsValid(utf8);

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
