using System.Text.Json.Serialization;
using Grantex.Core.Compliance;

namespace Grantex.Console.Api.Contracts;

public sealed record CheckpointResponse(
    string CheckpointId, string DeveloperId, long Count, string HeadHash, string HeadEntryId, DateTime HeadAt, DateTime CreatedAt, string Kid, string Jws)
{
    public static CheckpointResponse From(AuditCheckpoint c) =>
        new(c.Id, c.DeveloperId, c.EntryCount, c.HeadHash, c.HeadEntryId, c.HeadTimestamp, c.CreatedAt, c.Kid, c.Jws);
}

public sealed record CheckpointListResponse(IReadOnlyList<CheckpointResponse> Checkpoints, string? NextCursor);

public sealed record CheckpointFindingResponse(
    string? CheckpointId, long? Count, string? HeadHash, string? HeadEntryId, DateTime? SignedAt, string? Kid, string Outcome, string Detail)
{
    public static CheckpointFindingResponse From(CheckpointFinding f) =>
        new(f.CheckpointId, f.Count, f.HeadHash, f.HeadEntryId, f.SignedAt, f.Kid, f.OutcomeName, f.Detail);
}

/// <summary>
/// <c>GET /v1/audit/verify</c>: the chain walk (REF's fields) compared with the latest signed checkpoint, which reveals
/// a tail cut off or a chain rewritten wholesale. <c>checkpoint</c> is null while no checkpoint exists.
/// </summary>
public sealed record ChainIntegrityResponse(
    bool Valid, long CheckedEntries,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FirstBrokenAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reason,
    string? Detail, string? HeadHash, long Entries,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] CheckpointFindingResponse? Checkpoint)
{
    public static ChainIntegrityResponse From(ChainIntegrity c) => new(
        c.Valid, c.CheckedEntries, c.FirstBrokenAt, c.Reason, c.Detail, c.Walk.HeadHash, c.Entries,
        c.Checkpoints.Count == 0 ? null : CheckpointFindingResponse.From(c.Checkpoints[^1]));
}
