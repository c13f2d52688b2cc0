using System.Text.Json;
using System.Text.Json.Serialization;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Principals;

namespace Grantex.Console.Api.Contracts;

public sealed record PrincipalSessionRequest(string? PrincipalId, string? ExpiresIn);

public sealed record PrincipalSessionResponse(string SessionToken, string DashboardUrl, DateTime ExpiresAt);

public sealed record PrincipalGrantResponse(
    string GrantId, string AgentId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AgentName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AgentDescription,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AgentDid,
    IReadOnlyList<string> Scopes, string Status, DateTime IssuedAt, DateTime ExpiresAt, int DelegationDepth, string? ParentGrantId)
{
    public static PrincipalGrantResponse From(PrincipalGrant g) => new(
        g.Grant.Id, g.Grant.AgentId, g.AgentName, g.AgentDescription, g.AgentName is null ? null : Ids.AgentDid(g.Grant.AgentId),
        g.Grant.Scopes, "active", g.Grant.IssuedAt, g.Grant.ExpiresAt, g.Grant.DelegationDepth, g.Grant.ParentGrantId);
}

public sealed record PrincipalGrantListResponse(IReadOnlyList<PrincipalGrantResponse> Grants, string PrincipalId);

/// <summary>An audit entry as the person sees it: no hash fields (wire format §7.7).</summary>
public sealed record PrincipalAuditEntryResponse(
    string EntryId, string AgentId, string AgentDid, string GrantId, string PrincipalId, string Action, JsonElement Metadata, string Status, DateTime Timestamp)
{
    public static PrincipalAuditEntryResponse From(AuditEntry e)
    {
        using var doc = JsonDocument.Parse(e.MetadataJson);
        return new(e.Id, e.AgentId, e.AgentDid, e.GrantId, e.PrincipalId, e.Action, doc.RootElement.Clone(), e.Status, e.Timestamp);
    }
}

public sealed record PrincipalAuditResponse(IReadOnlyList<PrincipalAuditEntryResponse> Entries);
