using Grantex.Core.Audit;

namespace Grantex.Core.Compliance;

/// <summary>
/// Verifies a window of a chain as it streams past: the chain walk (content, links, gaps) and the comparison with
/// checkpoints, keeping only the window's edges. When the window starts mid-chain the first entry's link cannot be
/// checked (its predecessor is outside); it is recorded in <see cref="ChainIntegrity.First"/> instead.
/// </summary>
/// <remarks>
/// Entries are either fed one by one (<see cref="Feed"/>), or the window is walked by a raw scan that reports its
/// walk, edges and the entries at <see cref="PendingPositions"/> once (<see cref="Complete"/>); both give the same answer.
/// </remarks>
internal sealed class WindowVerifier(bool linkFirst, IEnumerable<CheckpointReading> checkpoints, string developerId, DateTime? since, DateTime? until)
{
    private readonly ChainWalker _walker = new(linkFirst);
    private readonly CheckpointConsistency _consistency = new(checkpoints, developerId, since, until);
    private AuditEntry? _first;
    private AuditEntry? _last;
    private long _entries;
    private ChainIntegrity? _completed;

    /// <summary>Whether the first entry's link to its predecessor is checked (the window starts at the chain's start).</summary>
    public bool LinkFirst => linkFirst;

    /// <summary>The chain positions whose entries the checkpoint comparison needs (a copy).</summary>
    public IReadOnlySet<long> PendingPositions => new HashSet<long>(_consistency.PendingPositions);

    public void Feed(AuditEntry entry, string? recomputedHash = null)
    {
        _walker.Feed(entry, recomputedHash);
        _consistency.Observe(entry.ChainIndex, entry.Id, entry.Hash);
        _first ??= entry;
        _last = entry;
        _entries++;
    }

    /// <summary>The window walked elsewhere, in chain order: its walk, entry count, edges and the entries at <see cref="PendingPositions"/>.</summary>
    public void Complete(ChainVerification walk, long entries, AuditEntry? first, AuditEntry? last, IEnumerable<(long ChainIndex, string Id, string Hash)> observed)
    {
        foreach (var (chainIndex, id, hash) in observed)
        {
            _consistency.Observe(chainIndex, id, hash);
        }

        if (last is not null)
        {
            _consistency.Observe(last.ChainIndex, last.Id, last.Hash);
        }

        _completed = ChainIntegrity.From(walk, _consistency.Finish(), entries, Edge(first), Edge(last), linkFirst);
    }

    public ChainIntegrity Finish() =>
        _completed ?? ChainIntegrity.From(_walker.Result(), _consistency.Finish(), _entries, Edge(_first), Edge(_last), linkFirst);

    internal static ChainWindowEdge? Edge(AuditEntry? e) => e is null ? null : new(e.Id, e.ChainIndex, e.PrevHash, e.Hash, e.Timestamp);
}
