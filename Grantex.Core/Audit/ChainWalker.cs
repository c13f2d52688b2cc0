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
