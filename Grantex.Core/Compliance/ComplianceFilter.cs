using System.Globalization;
using System.Text.RegularExpressions;
using Grantex.Core.Common;

namespace Grantex.Core.Compliance;

/// <summary>
/// The filters of the compliance reports (wire format §7.4): an inclusive time window (grant <c>issuedAt</c>, audit
/// <c>timestamp</c>), and for the exports an agent and a status. Every value is an exact match or a range.
/// </summary>
public sealed partial record ComplianceFilter(DateTime? Since = null, DateTime? Until = null, string? AgentId = null, string? Status = null)
{
    public static readonly IReadOnlyList<string> GrantStatuses = ["active", "revoked", "expired"];
    public static readonly IReadOnlyList<string> AuditStatuses = ["success", "failure", "blocked"];

    /// <summary>No filter at all.</summary>
    public static ComplianceFilter None { get; } = new();

    /// <summary>Parses query-string values; any bad value is refused with a message naming it.</summary>
    public static Result<ComplianceFilter> Parse(string? since, string? until, string? agentId = null, string? status = null, IReadOnlyList<string>? statuses = null)
    {
        if (!TryParseTime(since, out var from))
        {
            return GxError.BadRequest("since must be an ISO-8601 time, e.g. 2026-01-31 or 2026-01-31T12:00:00.000Z.", "since");
        }

        if (!TryParseTime(until, out var to))
        {
            return GxError.BadRequest("until must be an ISO-8601 time, e.g. 2026-01-31 or 2026-01-31T12:00:00.000Z.", "until");
        }

        var filter = new ComplianceFilter(from, to, string.IsNullOrEmpty(agentId) ? null : agentId, string.IsNullOrEmpty(status) ? null : status);
        var problem = filter.Validate(statuses);
        return problem is null ? filter : problem;
    }

    /// <summary>Checks a filter built in code (the console page); null when it is acceptable.</summary>
    public GxError? Validate(IReadOnlyList<string>? statuses = null)
    {
        if (Since is { } s && Until is { } u && s > u)
        {
            return GxError.BadRequest("since must not be later than until.", "since", "until");
        }

        if (AgentId is { Length: > 256 })
        {
            return GxError.BadRequest("agentId is at most 256 characters.", "agentId");
        }

        if (Status is not null)
        {
            if (statuses is null)
            {
                return GxError.BadRequest("status is not a filter of this report.", "status");
            }

            if (!statuses.Contains(Status))
            {
                return GxError.BadRequest($"status must be one of {string.Join(", ", statuses)}.", "status");
            }
        }

        return null;
    }

    /// <summary>The window as shown in manifests and reports.</summary>
    public string? SinceText => Since is { } s ? TimeFormat.Iso(s) : null;

    public string? UntilText => Until is { } u ? TimeFormat.Iso(u) : null;

    private static bool TryParseTime(string? text, out DateTime? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (text.Length > 40 || !IsoDate().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        value = TimeFormat.ToMillis(parsed.UtcDateTime);
        return true;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?(Z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();
}
