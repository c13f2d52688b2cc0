using System.Runtime.CompilerServices;
using System.Text;

namespace Grantex.Core.Audit;

/// <summary>
/// <see cref="ChainWalker"/> over entries given as their stored UTF-8 bytes: an entry whose position, link and
/// recomputed hash all match is accepted here with no allocation; any other (a break, or a field that needs the
/// string path of <see cref="AuditHash"/>) is materialised and judged by the reference walker itself, so the answer
/// and its wording are always the reference walker's.
/// </summary>
internal sealed class RawChainWalker(bool linkFirst) : IDisposable
{
    private readonly ChainWalker _reference = new(linkFirst);
    private readonly Utf8AuditHash _hash = new();
    private byte[] _previous = new byte[64];
    private int _previousLength;
    private bool _first = true;
    private long _expected;
    private long _checked;

    public bool Broken => _reference.Failure is not null;

    /// <summary>Accepts a clean, intact entry; false when the caller must materialise it and call <see cref="Feed"/>.</summary>
    /// <param name="textsArePlain">See <see cref="Utf8AuditHash.TryWriteEntry"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAccept(
        long chainIndex, ReadOnlySpan<byte> id, ReadOnlySpan<byte> agentId, ReadOnlySpan<byte> agentDid, ReadOnlySpan<byte> grantId,
        ReadOnlySpan<byte> principalId, ReadOnlySpan<byte> developerId, ReadOnlySpan<byte> action, ReadOnlySpan<byte> metadata, long timestamp,
        bool prevIsNull, ReadOnlySpan<byte> prevHash, ReadOnlySpan<byte> storedHash, ReadOnlySpan<byte> status, bool textsArePlain = false)
    {
        if (_first)
        {
            if (linkFirst && !prevIsNull)
            {
                return false;
            }
        }
        else if (chainIndex != _expected || prevIsNull || !prevHash.SequenceEqual(_previous.AsSpan(0, _previousLength)))
        {
            return false;
        }

        if (storedHash.Length != 64
            || !_hash.TryWriteEntry(id, agentId, agentDid, grantId, principalId, developerId, action, metadata, timestamp, prevIsNull, prevHash, status, textsArePlain))
        {
            return false;
        }

        Span<byte> hex = stackalloc byte[64];
        _hash.Finish(hex);
        if (!hex.SequenceEqual(storedHash))
        {
            return false;
        }

        storedHash.CopyTo(_previous);
        _previousLength = storedHash.Length;
        _first = false;
        _expected = chainIndex + 1;
        _checked++;
        return true;
    }

    /// <summary>Judges an entry with the reference walker; false once the chain is broken.</summary>
    public bool Feed(AuditEntry entry)
    {
        if (Broken)
        {
            return false;
        }

        _reference.Restore(_checked, _first ? null : Encoding.UTF8.GetString(_previous, 0, _previousLength), _expected, _first);
        var accepted = _reference.Feed(entry);
        _checked = _reference.Checked;
        if (accepted)
        {
            var head = Encoding.UTF8.GetBytes(_reference.HeadHash ?? "");
            if (head.Length > _previous.Length)
            {
                _previous = new byte[head.Length];
            }

            head.CopyTo(_previous, 0);
            _previousLength = head.Length;
            _first = _reference.AtFirst;
            _expected = _reference.ExpectedIndex;
        }

        return accepted;
    }

    public void Dispose() => _hash.Dispose();

    public ChainVerification Result() =>
        _reference.Failure ?? ChainVerification.Intact(_checked, _first ? null : Encoding.UTF8.GetString(_previous, 0, _previousLength));
}
