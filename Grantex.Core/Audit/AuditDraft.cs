namespace Grantex.Core.Audit;

/// <summary>An audit entry before the writer gives it an id, time and place in the chain.</summary>
public sealed record AuditDraft(
    string DeveloperId,
    string AgentId,
    string AgentDid,
    string GrantId,
    string PrincipalId,
    string Action,
    string CanonicalMetadata,
    string Status,
    string? Actor)
{
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Blocked = "blocked";
}
