namespace Grantex.Core.Audit;

/// <summary>Exact-match filters and a time window for audit lists.</summary>
public sealed record AuditFilter(
    string? AgentId = null,
    string? GrantId = null,
    string? PrincipalId = null,
    string? Action = null,
    string? Status = null,
    DateTime? Since = null,
    DateTime? Until = null);
