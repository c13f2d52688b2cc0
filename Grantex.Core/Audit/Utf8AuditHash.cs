using System.Buffers;
using System.Globalization;
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

    private const long MillisPerDay = 86_400_000;
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _dayText = new byte[11];
    private byte[] _buffer = new byte[1024];
    private int _length;
    private long _day = -1;

    public void Reset() => _length = 0;

    /// <summary>Appends literal JSON (field names and punctuation).</summary>
    public void AppendLiteral(ReadOnlySpan<byte> utf8)
    {
        Ensure(utf8.Length);
        utf8.CopyTo(_buffer.AsSpan(_length));
        _length += utf8.Length;
    }

    /// <summary>Appends a stored text as a JSON string; false when it needs escaping or is not valid UTF-8.</summary>
    public bool TryAppendString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOfAny(Escaped) >= 0 || !IsValidText(utf8))
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
    /// <remarks>
    /// Entries next to each other in a chain mostly share their date, so "yyyy-MM-ddT" is formatted once per day and
    /// the time of day is written digit by digit: the general formatter parses its pattern on every call.
    /// </remarks>
    public void AppendTimestamp(long unixMillis)
    {
        Ensure(32);
        _buffer[_length++] = (byte)'"';
        var time = TimeFormat.FromUnixMillis(unixMillis);
        var day = unixMillis >= 0 ? unixMillis / MillisPerDay : -1;
        if (day < 0 || time.Year > 9999 || time.Year < 1000)
        {
            // Outside the years the fast path writes with four digits: the general formatter, as TimeFormat.Iso.
            if (!time.TryFormat(_buffer.AsSpan(_length), out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("A timestamp did not fit its buffer.");
            }

            _length += written;
        }
        else
        {
            if (day != _day)
            {
                _day = day;
                time.TryFormat(_dayText, out _, "yyyy-MM-dd'T'", CultureInfo.InvariantCulture);
            }

            _dayText.CopyTo(_buffer, _length);
            _length += _dayText.Length;
            var ms = unixMillis % MillisPerDay;
            Two((int)(ms / 3_600_000));
            _buffer[_length++] = (byte)':';
            Two((int)(ms / 60_000 % 60));
            _buffer[_length++] = (byte)':';
            Two((int)(ms / 1000 % 60));
            _buffer[_length++] = (byte)'.';
            var fraction = (int)(ms % 1000);
            _buffer[_length++] = (byte)('0' + (fraction / 100));
            Two(fraction % 100);
            _buffer[_length++] = (byte)'Z';
        }

        _buffer[_length++] = (byte)'"';
    }

    private void Two(int value)
    {
        _buffer[_length++] = (byte)('0' + (value / 10));
        _buffer[_length++] = (byte)('0' + (value % 10));
    }

    /// <summary>SHA-256 of what was appended, as 64 lowercase hex digits (UTF-8) in <paramref name="hex"/>.</summary>
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
    public bool TryWriteEntry(
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
