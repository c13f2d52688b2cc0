using Grantex.Core.Audit;

namespace Grantex.Core.Compliance;

/// <summary>
/// A chain (or a window of it) checked entry by entry and against signed checkpoints. The first five fields are
/// REF's <c>chainIntegrity</c> (<c>valid, checkedEntries, firstBrokenAt, reason</c>) plus a sentence; reason is
/// <c>content</c>, <c>link</c> or <c>missing</c> from the walk, or a checkpoint outcome (<c>truncated</c>,
/// <c>rewritten</c>, <c>signature_invalid</c>…) when only a checkpoint reveals the damage.
/// </summary>
public sealed record ChainIntegrity(
    bool Valid,
    long CheckedEntries,
    string? FirstBrokenAt,
    string? Reason,
    string? Detail,
    ChainVerification Walk,
    IReadOnlyList<CheckpointFinding> Checkpoints,
    long Entries,
    ChainWindowEdge? First,
    ChainWindowEdge? Last,
    bool FirstLinkChecked)
{
    public static ChainIntegrity From(ChainVerification walk, IReadOnlyList<CheckpointFinding> checkpoints, long entries, ChainWindowEdge? first, ChainWindowEdge? last, bool firstLinkChecked)
    {
        if (!walk.Valid)
        {
            return new(false, walk.CheckedEntries, walk.FirstBrokenAt, walk.Reason, walk.Detail, walk, checkpoints, entries, first, last, firstLinkChecked);
        }

        var problem = checkpoints.FirstOrDefault(c => c.IsProblem);
        return problem is null
            ? new(true, walk.CheckedEntries, null, null, null, walk, checkpoints, entries, first, last, firstLinkChecked)
            : new(false, walk.CheckedEntries, problem.HeadEntryId, problem.OutcomeName, problem.Detail, walk, checkpoints, entries, first, last, firstLinkChecked);
    }
}

/// <summary>The first or last entry of a verified window: where it sits and what it links to.</summary>
public sealed record ChainWindowEdge(string EntryId, long ChainIndex, string? PrevHash, string Hash, DateTime Timestamp);
