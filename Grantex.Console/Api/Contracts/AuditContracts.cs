using System.Text.Json;
using System.Text.Json.Serialization;
using Grantex.Core.Audit;

namespace Grantex.Console.Api.Contracts;

public sealed record AuditLogRequest(string? AgentId, string? AgentDid, string? GrantId, string? PrincipalId, string? Action, string? Status, JsonElement? Metadata);

public sealed record AuditEntryResponse(
    string EntryId, string AgentId, string AgentDid, string GrantId, string PrincipalId, string DeveloperId, string Action,
    JsonElement Metadata, string Hash, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PrevHash,
    DateTime Timestamp, string Status, long ChainIndex)
{
    public static AuditEntryResponse From(AuditEntry e)
    {
        using var doc = JsonDocument.Parse(e.MetadataJson);
        return new(e.Id, e.AgentId, e.AgentDid, e.GrantId, e.PrincipalId, e.DeveloperId, e.Action, doc.RootElement.Clone(),
            e.Hash, e.PrevHash, e.Timestamp, e.Status, e.ChainIndex);
    }
}

public sealed record AuditListResponse(IReadOnlyList<AuditEntryResponse> Entries, string? NextCursor);
