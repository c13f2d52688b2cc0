namespace Grantex.Core.Anomalies;

/// <summary>
/// One detection pass: when it ran, every anomaly that holds now (new, updated or unchanged; acknowledged ones whose
/// pattern has nothing new are not repeated), how many were new, and how many grants automatic revocation cut off.
/// </summary>
public sealed record DetectionResult(DateTime DetectedAt, IReadOnlyList<Anomaly> Anomalies, int Created, int AutoRevokedGrants);
