using System.Globalization;

namespace Grantex.Core.Common;

/// <summary>Durations and times as a person reads them: "24 hours", "1 day and 12 hours", "Monday, 24 November 2025 at 20:31 UTC".</summary>
public static class DurationText
{
    /// <summary>The two largest non-zero units, rounded down ("1 day and 12 hours", "45 minutes", "30 seconds").</summary>
    public static string ToWords(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return "less than a second";
        }

        (int Value, string Unit)[] units = [(duration.Days, "day"), (duration.Hours, "hour"), (duration.Minutes, "minute"), (duration.Seconds, "second")];
        var first = Array.FindIndex(units, u => u.Value != 0);
        var words = Part(units[first]);

        // The next smaller unit only, and only when it is not zero: "2 days", "1 day and 12 hours", never "2 days and 5 seconds".
        return first + 1 < units.Length && units[first + 1].Value != 0 ? $"{words} and {Part(units[first + 1])}" : words;
    }

    /// <summary>An exact UTC time with the zone named: "Monday, 24 November 2025 at 20:31 UTC".</summary>
    public static string ToDate(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("dddd, d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A UTC time of day with the zone named: "20:31 UTC".</summary>
    public static string ToTime(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Part((int Value, string Unit) part) =>
        string.Create(CultureInfo.InvariantCulture, $"{part.Value} {part.Unit}{(part.Value == 1 ? "" : "s")}");
}
