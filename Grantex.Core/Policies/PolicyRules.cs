using System.Globalization;
using Grantex.Core.Common;

namespace Grantex.Core.Policies;

/// <summary>Input rules for policies; every refusal names the offending field.</summary>
public static class PolicyRules
{
    public const int MaxNameLength = 200;
    public const int MaxTimeZoneLength = 64;

    /// <summary>Priorities are ordinary integers in a range a person would write; beyond it is a mistake, not a plan.</summary>
    public const int MinPriority = -100_000;
    public const int MaxPriority = 100_000;

    /// <summary>Policies per developer; every authorization evaluates all of them.</summary>
    public const int MaxPerDeveloper = 1_000;

    public static GxError? Name(string? name) =>
        Validate.Text(name, MaxNameLength) ? null : GxError.BadRequest($"name must be 1 to {MaxNameLength} characters.");

    public static Result<PolicyEffect> Effect(string? effect) => effect switch
    {
        "allow" => PolicyEffect.Allow,
        "deny" => PolicyEffect.Deny,
        _ => GxError.BadRequest("effect must be allow or deny."),
    };

    public static GxError? Priority(int priority) => priority is < MinPriority or > MaxPriority
        ? GxError.BadRequest($"priority must be an integer from {MinPriority} to {MaxPriority}.")
        : null;

    public static GxError? PrincipalId(string? principalId) => principalId is null || Validate.Text(principalId, 256)
        ? null
        : GxError.BadRequest("principalId must be 1 to 256 characters, or null to match any principal.");

    /// <summary>Null matches any scope; an empty list would match nothing (allow) or everything (deny), so it is refused.</summary>
    public static Result<List<string>?> Scopes(IReadOnlyList<string?>? scopes)
    {
        if (scopes is null)
        {
            return (List<string>?)null;
        }

        if (scopes.Count == 0)
        {
            return GxError.BadRequest("scopes must list at least one scope, or be null to match any scope.");
        }

        var valid = Validate.Scopes(scopes, required: true);
        return valid.IsSuccess ? valid.Value : valid.Error;
    }

    /// <summary>The window (both bounds or neither, <c>HH:MM</c>, not empty) and its time zone, checked together.</summary>
    public static GxError? Window(string? start, string? end, string? timeZone)
    {
        if (start is not null && !TryMinutes(start, out _))
        {
            return GxError.BadRequest("timeOfDayStart must be HH:MM (00:00 to 23:59).");
        }

        if (end is not null && !TryMinutes(end, out _))
        {
            return GxError.BadRequest("timeOfDayEnd must be HH:MM (00:00 to 23:59).");
        }

        if ((start is null) != (end is null))
        {
            return GxError.BadRequest($"{(start is null ? "timeOfDayStart" : "timeOfDayEnd")} is required when the other bound of the time window is set.");
        }

        if (start is not null && start == end)
        {
            return GxError.BadRequest("timeOfDayStart and timeOfDayEnd are equal: the window would be empty. An end earlier than the start crosses midnight.");
        }

        if (timeZone is null)
        {
            return null;
        }

        if (start is null)
        {
            return GxError.BadRequest("timeZone only applies to a time window: set timeOfDayStart and timeOfDayEnd, or leave timeZone null.");
        }

        return FindZone(timeZone) is null
            ? GxError.BadRequest("timeZone must be an IANA time zone such as Europe/Paris or America/New_York.")
            : null;
    }

    /// <summary>Minutes after midnight of an <c>HH:MM</c> text (two digits each, 00:00–23:59).</summary>
    public static bool TryMinutes(string text, out int minutes)
    {
        minutes = 0;
        if (text.Length != 5 || text[2] != ':' || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1]) || !char.IsAsciiDigit(text[3]) || !char.IsAsciiDigit(text[4]))
        {
            return false;
        }

        var hours = int.Parse(text.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var mins = int.Parse(text.AsSpan(3, 2), CultureInfo.InvariantCulture);
        if (hours > 23 || mins > 59)
        {
            return false;
        }

        minutes = (hours * 60) + mins;
        return true;
    }

    public static TimeZoneInfo? FindZone(string id)
    {
        if (id.Length is 0 or > MaxTimeZoneLength || id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }
}
