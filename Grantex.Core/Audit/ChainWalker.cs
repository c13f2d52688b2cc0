namespace Grantex.Core.Audit;

/// <summary>
/// Checks a chain one entry at a time, in chain order, keeping only the previous hash: constant memory for any
/// length. Used by the API, the console, the evidence pack and the offline audit-pack verifier alike.
/// </summary>
public sealed class ChainWalker
{
    private string? _previousHash;
    private long _expectedIndex = -1;
    private bool _first = true;

    /// <param name="linkFirst">When false (a window that starts mid-chain), the first entry's link is not checked.</param>
    public ChainWalker(bool linkFirst = true)
    {
        LinkFirst = linkFirst;
    }

    public bool LinkFirst { get; }

    public long Checked { get; private set; }

    public ChainVerification? Failure { get; private set; }

    public string? HeadHash => _previousHash;

    /// <summary>The position the next entry must have (once an entry has been accepted).</summary>
    internal long ExpectedIndex => _expectedIndex;

    /// <summary>Whether no entry has been accepted yet.</summary>
    internal bool AtFirst => _first;

    /// <summary>
    /// Puts the walker where a walk that accepted <paramref name="checkedCount"/> entries would be: used by
    /// <see cref="RawChainWalker"/>, which accepts clean entries itself and hands only the rest to this walker.
    /// </summary>
    internal void Restore(long checkedCount, string? previousHash, long expectedIndex, bool first)
    {
        Checked = checkedCount;
        _previousHash = previousHash;
        _expectedIndex = expectedIndex;
        _first = first;
    }

    /// <summary>Feeds the next entry; returns false once the chain is broken (later entries are not checked).</summary>
    public bool Feed(AuditEntry entry, string? recomputedHash = null)
    {
        if (Failure is not null)
        {
            return false;
        }

        if (!_first && entry.ChainIndex != _expectedIndex)
        {
            return Fail(entry, "missing", $"chain position {_expectedIndex} is missing before this entry (found {entry.ChainIndex})");
        }

        if ((!_first || LinkFirst) && entry.PrevHash != _previousHash)
        {
            var detail = _first
                ? "the first entry of the chain must have no previous hash"
                : "its previous hash does not match the hash of the entry before it";
            return Fail(entry, "link", detail);
        }

        var hash = recomputedHash ?? AuditHash.Compute(AuditHashInput.From(entry));
        if (!string.Equals(hash, entry.Hash, StringComparison.Ordinal))
        {
            return Fail(entry, "content", "its fields no longer produce its stored hash (the entry was changed)");
        }

        _first = false;
        _previousHash = entry.Hash;
        _expectedIndex = entry.ChainIndex + 1;
        Checked++;
        return true;
    }

    public ChainVerification Result() => Failure ?? ChainVerification.Intact(Checked, _previousHash);

    private bool Fail(AuditEntry entry, string reason, string detail)
    {
        Failure = new ChainVerification(false, Checked, entry.Id, reason, $"Entry {entry.Id}: {detail}.", _previousHash);
        return false;
    }
}
