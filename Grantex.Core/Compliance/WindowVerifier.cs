using Grantex.Core.Audit;

namespace Grantex.Core.Compliance;

/// <summary>
/// Verifies a window of a chain as it streams past: the chain walk (content, links, gaps) and the comparison with
/// checkpoints, keeping only the window's edges. When the window starts mid-chain the first entry's link cannot be
/// checked (its predecessor is outside); it is recorded in <see cref="ChainIntegrity.First"/> instead.
/// </summary>
internal sealed class WindowVerifier(bool linkFirst, IEnumerable<CheckpointReading> checkpoints, string developerId, DateTime? since, DateTime? until)
{
    private readonly ChainWalker _walker = new(linkFirst);
    private readonly CheckpointConsistency _consistency = new(checkpoints, developerId, since, until);
    private AuditEntry? _first;
    private AuditEntry? _last;
    private long _entries;

    public void Feed(AuditEntry entry, string? recomputedHash = null)
    {
        _walker.Feed(entry, recomputedHash);
        _consistency.Observe(entry.ChainIndex, entry.Id, entry.Hash);
        _first ??= entry;
        _last = entry;
        _entries++;
    }

    public ChainIntegrity Finish() =>
        ChainIntegrity.From(_walker.Result(), _consistency.Finish(), _entries, Edge(_first), Edge(_last), linkFirst);

    internal static ChainWindowEdge? Edge(AuditEntry? e) => e is null ? null : new(e.Id, e.ChainIndex, e.PrevHash, e.Hash, e.Timestamp);
}
