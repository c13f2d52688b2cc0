namespace Grantex.Core.Compliance;

/// <summary>
/// <c>GET /v1/compliance/summary</c> (wire format §7.4). Agent counts ignore the window; grants count by
/// <c>issuedAt</c> and audit entries by <c>timestamp</c> inside it. Policies count as they stand now (like
/// agents, they ignore the window); a self-hosted server has no plan limits, so the plan is "enterprise".
/// </summary>
public sealed record ComplianceSummary(
    DateTime GeneratedAt,
    DateTime? Since,
    DateTime? Until,
    AgentCounts Agents,
    GrantCounts Grants,
    AuditCounts AuditEntries,
    PolicyCounts Policies,
    string Plan)
{
    public const string SelfHostedPlan = "enterprise";
}

/// <summary>Agents by status; an agent deleted through the API counts as revoked (it is kept, unusable).</summary>
public sealed record AgentCounts(int Total, int Active, int Suspended, int Revoked);

/// <summary>Grants by effective status: active (and unexpired), revoked, expired.</summary>
public sealed record GrantCounts(int Total, int Active, int Revoked, int Expired);

public sealed record AuditCounts(long Total, long Success, long Failure, long Blocked);

public sealed record PolicyCounts(int Total);
