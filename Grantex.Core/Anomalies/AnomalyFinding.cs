using System.Text.Json;
using Grantex.Core.Common;

namespace Grantex.Core.Anomalies;

/// <summary>
/// What one rule found on one pass, before it is matched against stored anomalies. <see cref="Subject"/> names what the
/// finding is about beyond agent and principal (the grant of a new pair, the root of a delegation tree; empty for
/// activity counts); <see cref="EvidenceAt"/> is the time of the newest row that made it hold.
/// </summary>
public sealed record AnomalyFinding(
    string Type,
    string Severity,
    string? AgentId,
    string? PrincipalId,
    string Subject,
    string Description,
    IReadOnlyDictionary<string, object?> Metadata,
    IReadOnlyList<string> GrantIds,
    DateTime EvidenceAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The de-duplication key: the same type, agent, principal and subject is the same anomaly.</summary>
    public string Key => KeyFor(Type, AgentId, PrincipalId, Subject);

    public string MetadataJson => JsonSerializer.Serialize(Metadata, Json);

    public static string KeyFor(string type, string? agentId, string? principalId, string subject) =>
        Secrets.Sha256Hex(string.Join('\n', type, agentId ?? "", principalId ?? "", subject));

    internal static string Plural(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count.ToString(System.Globalization.CultureInfo.InvariantCulture)} {many}";

    internal static string Text(FormattableString text) => FormattableString.Invariant(text);

    internal static IReadOnlyList<string> Bounded(IEnumerable<string> ids) => [.. ids.Distinct(StringComparer.Ordinal).Take(AnomalyRules.MaxGrantIds)];
}
