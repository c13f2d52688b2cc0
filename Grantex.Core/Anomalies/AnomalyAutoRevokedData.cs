namespace Grantex.Core.Anomalies;

/// <summary>
/// <c>anomaly.auto_revoked</c>: the reference's <c>revokedGrants</c> and <c>anomalyCount</c>, per agent, plus which
/// agent and which anomalies. The grants themselves each get their <c>grant.revoked</c> event from the revoker.
/// </summary>
public sealed record AnomalyAutoRevokedData(string AgentId, int RevokedGrants, int AnomalyCount, IReadOnlyList<string> AnomalyIds);
