using System.Globalization;
using System.Runtime.CompilerServices;

namespace Grantex.Core.Common;

/// <summary>
/// Writes <see cref="TimeFormat.Iso"/> of a stored time (Unix milliseconds) as UTF-8 bytes, for loops over millions of
/// entries (chain walks, the audit pack). Entries next to each other mostly share their date, so "yyyy-MM-ddT" is
/// formatted once per day and the time of day is written digit by digit: the general formatter parses its pattern on
/// every call. One instance per thread (it keeps the last day).
/// </summary>
internal sealed class Utf8IsoTime
{
    /// <summary>The most bytes <see cref="Write"/> writes.</summary>
    public const int MaxLength = 32;

    private const long MillisPerDay = 86_400_000;
    private readonly byte[] _dayText = new byte[11];
    private long _day = -1;

    /// <summary>Writes the time (without quotes) to <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Write(long unixMillis, Span<byte> destination)
    {
        var time = TimeFormat.FromUnixMillis(unixMillis);
        var day = unixMillis >= 0 ? unixMillis / MillisPerDay : -1;
        if (day < 0 || time.Year > 9999 || time.Year < 1000)
        {
            // Outside the years the fast path writes with four digits: the general formatter, as TimeFormat.Iso.
            if (!time.TryFormat(destination, out var written, TimeFormat.IsoPattern, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("A timestamp did not fit its buffer.");
            }

            return written;
        }

        if (day != _day)
        {
            _day = day;
            time.TryFormat(_dayText, out _, "yyyy-MM-dd'T'", CultureInfo.InvariantCulture);
        }

        _dayText.CopyTo(destination);
        var ms = unixMillis % MillisPerDay;
        var d = destination[_dayText.Length..];
        Two(d, 0, (int)(ms / 3_600_000));
        d[2] = (byte)':';
        Two(d, 3, (int)(ms / 60_000 % 60));
        d[5] = (byte)':';
        Two(d, 6, (int)(ms / 1000 % 60));
        d[8] = (byte)'.';
        var fraction = (int)(ms % 1000);
        d[9] = (byte)('0' + (fraction / 100));
        Two(d, 10, fraction % 100);
        d[12] = (byte)'Z';
        return _dayText.Length + 13;
    }

    private static void Two(Span<byte> d, int at, int value)
    {
        d[at] = (byte)('0' + (value / 10));
        d[at + 1] = (byte)('0' + (value % 10));
    }
}
