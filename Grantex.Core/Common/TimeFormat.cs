using System.Globalization;

namespace Grantex.Core.Common;

/// <summary>Timestamps on the wire are ISO-8601 UTC with milliseconds and 'Z', as JavaScript's toISOString().</summary>
public static class TimeFormat
{
    /// <summary>The custom format of <see cref="Iso"/> (invariant culture), for writers that format into UTF-8 bytes.</summary>
    public const string IsoPattern = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Iso(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString(IsoPattern, CultureInfo.InvariantCulture);

    /// <summary>Truncates to whole milliseconds: the precision stored and sent everywhere.</summary>
    public static DateTime ToMillis(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    public static DateTime UtcNowMillis(this TimeProvider time) => ToMillis(time.GetUtcNow().UtcDateTime);

    /// <summary>Unix milliseconds: how every time is stored (Persistence/UtcMillisecondsConverter) and paged (Cursor).</summary>
    public static long ToUnixMillis(DateTime utc) => (DateTime.SpecifyKind(utc, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    public static DateTime FromUnixMillis(long value) => new(DateTime.UnixEpoch.Ticks + (value * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    public static long ToUnixSeconds(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();
}
