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

    /// <summary>An entry the server writes: a catalogued action, its status from the catalogue.</summary>
    public static AuditDraft For(AuditSubject subject, AuditAction action, string? actor, AuditMetadata? metadata = null) =>
        new(subject.DeveloperId, subject.AgentId, subject.AgentDid, subject.GrantId, subject.PrincipalId, action.Name,
            metadata?.ToCanonicalJson() ?? AuditMetadata.None, action.Status, actor);
}
