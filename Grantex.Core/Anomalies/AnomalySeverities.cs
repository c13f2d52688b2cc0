namespace Grantex.Core.Anomalies;

/// <summary>The severities, as the wire format spells them. Only <see cref="High"/> can trigger automatic revocation.</summary>
public static class AnomalySeverities
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";

    public static readonly IReadOnlyList<string> All = [Low, Medium, High];

    public static bool IsKnown(string? severity) => severity is not null && All.Contains(severity, StringComparer.Ordinal);
}
