using System.Globalization;

namespace Grantex.Console.Components.Shared;

/// <summary>
/// How the console writes times: one format everywhere, relative ("3 min ago", "in 2 h", "in 13 d", "in 4 mo"), with
/// the exact UTC time (<see cref="Exact"/>) in the tooltip, so a column never mixes "in 57 min" with a calendar date.
/// <see cref="Absolute"/> is for sentences that name a deadline ("open until 2026-11-20 14:03 UTC").
/// </summary>
public static class TimeText
{
    public static string Relative(DateTime utc, DateTime now)
    {
        var delta = now - utc;
        var future = delta < TimeSpan.Zero;
        var span = future ? -delta : delta;
        if (span < TimeSpan.FromSeconds(10))
        {
            return future ? "in a few seconds" : "just now";
        }

        var amount = span switch
        {
            _ when span < TimeSpan.FromMinutes(1) => $"{(int)span.TotalSeconds} s",
            _ when span < TimeSpan.FromHours(1) => $"{(int)span.TotalMinutes} min",
            _ when span < TimeSpan.FromDays(1) => $"{(int)span.TotalHours} h",
            _ when span < TimeSpan.FromDays(60) => $"{(int)span.TotalDays} d",
            _ when span < TimeSpan.FromDays(730) => $"{(int)(span.TotalDays / 30.44)} mo",
            _ => $"{(int)(span.TotalDays / 365.25)} y",
        };
        return future ? "in " + amount : amount + " ago";
    }

    public static string Absolute(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Exact(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A duration in words: "3 days", "5 hours", "12 minutes".</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        _ when span >= TimeSpan.FromDays(2) => $"{(int)span.TotalDays} days",
        _ when span >= TimeSpan.FromHours(2) => $"{(int)span.TotalHours} hours",
        _ when span >= TimeSpan.FromMinutes(2) => $"{(int)span.TotalMinutes} minutes",
        _ => $"{Math.Max(0, (int)span.TotalSeconds)} seconds",
    };
}
