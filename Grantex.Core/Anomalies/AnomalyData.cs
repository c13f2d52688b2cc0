using System.Text.Json;
using System.Text.Json.Serialization;
using Grantex.Core.Common;

namespace Grantex.Core.Anomalies;

/// <summary>
/// The anomaly object of the wire format (§7.3: id … acknowledgedAt, in that order), plus ours: when a later pass last
/// updated it, who acknowledged it and their note, and the grants involved. The data of <c>anomaly.detected</c> and
/// every API answer.
/// </summary>
public sealed record AnomalyData(
    string Id,
    string Type,
    string Severity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AgentId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PrincipalId,
    string Description,
    JsonElement Metadata,
    string DetectedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AcknowledgedAt,
    string UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AcknowledgedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Notes,
    IReadOnlyList<string> GrantIds)
{
    public static AnomalyData From(Anomaly a)
    {
        using var metadata = JsonDocument.Parse(a.MetadataJson);
        return new(a.Id, a.Type, a.Severity, a.AgentId, a.PrincipalId, a.Description, metadata.RootElement.Clone(),
            TimeFormat.Iso(a.DetectedAt), a.AcknowledgedAt is { } at ? TimeFormat.Iso(at) : null, TimeFormat.Iso(a.UpdatedAt),
            a.AcknowledgedBy, a.Notes, a.GrantIds);
    }
}
