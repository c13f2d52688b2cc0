using Grantex.Core.Common;

namespace Grantex.Core.Anomalies;

/// <summary>The list filters of <c>GET /v1/anomalies</c> and the console, already validated (see <see cref="Parse"/>).</summary>
public sealed record AnomalyFilter(bool? Unacknowledged = null, string? Type = null, string? Severity = null, string? AgentId = null, DateTime? Since = null)
{
    public static readonly AnomalyFilter None = new();

    /// <summary>Checks the query-string values against their allow-lists; every bad one is named in the error's fields.</summary>
    public static Result<AnomalyFilter> Parse(string? unacknowledged, string? type, string? severity, string? agentId, string? since)
    {
        var bad = new List<string>();
        bool? unack = unacknowledged switch
        {
            null or "" => null,
            "true" => true,
            "false" => false,
            _ => Bad("unacknowledged"),
        };
        if (!string.IsNullOrEmpty(type) && !AnomalyTypes.IsKnown(type))
        {
            bad.Add("type");
        }

        if (!string.IsNullOrEmpty(severity) && !AnomalySeverities.IsKnown(severity))
        {
            bad.Add("severity");
        }

        if (agentId is { Length: > 256 })
        {
            bad.Add("agentId");
        }

        DateTime? from = null;
        if (!string.IsNullOrEmpty(since))
        {
            if (since.Length <= 64 && DateTime.TryParse(since, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var t))
            {
                from = DateTime.SpecifyKind(t, DateTimeKind.Utc);
            }
            else
            {
                bad.Add("since");
            }
        }

        if (bad.Count > 0)
        {
            return GxError.BadRequest(
                $"Invalid {string.Join(", ", bad)}: unacknowledged is true or false; type is one of {string.Join(", ", AnomalyTypes.All)}; " +
                $"severity is one of {string.Join(", ", AnomalySeverities.All)}; agentId is at most 256 characters; since is an ISO-8601 date-time.",
                [.. bad]);
        }

        return new AnomalyFilter(unack, NullIfEmpty(type), NullIfEmpty(severity), NullIfEmpty(agentId), from);

        bool? Bad(string field)
        {
            bad.Add(field);
            return null;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
