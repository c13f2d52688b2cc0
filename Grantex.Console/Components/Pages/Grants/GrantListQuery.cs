using System.Globalization;
using Grantex.Core.Grants;

namespace Grantex.Console.Components.Pages.Grants;

/// <summary>The grant list's filters as they appear in the query string, parsed and validated (bad values are reported, never guessed).</summary>
public sealed record GrantListQuery(string? Dev, string? Agent, string? Principal, string? Status, string? Scope, string? From, string? To)
{
    public static readonly string[] Keys = ["dev", "agent", "principal", "status", "scope", "from", "to"];

    public bool HasFilters => Agent is not null || Principal is not null || Status is not null || Scope is not null || From is not null || To is not null;

    /// <summary>The Core filter, or the reason the query string cannot be used.</summary>
    public (GrantFilter? Filter, string? Problem) ToFilter()
    {
        if (Status is not null && !GrantService.Statuses.Contains(Status))
        {
            return (null, "status must be active, revoked or expired.");
        }

        DateTime? from = null, to = null;
        if (From is not null)
        {
            if (!TryDay(From, out var day))
            {
                return (null, "from must be a date (yyyy-MM-dd).");
            }

            from = day;
        }

        if (To is not null)
        {
            if (!TryDay(To, out var day))
            {
                return (null, "to must be a date (yyyy-MM-dd).");
            }

            to = day.AddDays(1).AddMilliseconds(-1);
        }

        if (new[] { Agent, Principal, Scope }.Any(v => v?.Length > 256))
        {
            return (null, "Filters are at most 256 characters.");
        }

        return (new GrantFilter(Agent, Principal, Status, Scope, from, to), null);
    }

    public static string Day(DateTime date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool TryDay(string text, out DateTime day) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out day);
}
