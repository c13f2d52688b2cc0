using Grantex.Core.Common;

namespace Grantex.Core.Audit;

/// <summary>The eleven fields the audit hash covers, in their wire form.</summary>
public readonly record struct AuditHashInput(
    string Id,
    string AgentId,
    string AgentDid,
    string GrantId,
    string PrincipalId,
    string DeveloperId,
    string Action,
    string CanonicalMetadata,
    string Timestamp,
    string? PrevHash,
    string Status)
{
    public static AuditHashInput From(AuditEntry e) => new(
        e.Id, e.AgentId, e.AgentDid, e.GrantId, e.PrincipalId, e.DeveloperId, e.Action, e.MetadataJson,
        TimeFormat.Iso(e.Timestamp), e.PrevHash, e.Status);
}
