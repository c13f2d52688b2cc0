using Grantex.Core.Common;
using Grantex.Core.Jose;

namespace Grantex.Core.Compliance;

/// <summary>
/// Compares a chain, fed one entry at a time in chain order, with signed checkpoints: a checkpoint whose head lies in
/// the verified window must find that very entry (same position, id and hash). This catches what a chain walk cannot:
/// a tail cut off (<see cref="CheckpointOutcome.Truncated"/>) and a chain rewritten with every later hash recomputed
/// (<see cref="CheckpointOutcome.Rewritten"/>). Memory is one slot per checkpoint, whatever the chain's length.
/// </summary>
public sealed class CheckpointConsistency
{
    private readonly List<Slot> _slots = [];
    private readonly Dictionary<long, List<Slot>> _pending = [];
    private long? _last;

    /// <param name="since">Start of the verified window (null: from the chain's first entry).</param>
    /// <param name="until">End of the verified window (null: up to the chain's head).</param>
    public CheckpointConsistency(IEnumerable<CheckpointReading> checkpoints, string developerId, DateTime? since = null, DateTime? until = null)
    {
        foreach (var reading in checkpoints)
        {
            var slot = new Slot(reading);
            _slots.Add(slot);
            Classify(slot, developerId, since, until);
        }
    }

    /// <summary>The chain positions whose entries this check still needs to see (the checkpoints' heads).</summary>
    internal IReadOnlyCollection<long> PendingPositions => _pending.Keys;

    /// <summary>Feeds the next entry of the chain (or window), in chain order.</summary>
    public void Observe(long chainIndex, string entryId, string hash)
    {
        _last = _last is null ? chainIndex : Math.Max(_last.Value, chainIndex);
        if (!_pending.Remove(chainIndex, out var slots))
        {
            return;
        }

        foreach (var slot in slots)
        {
            var c = slot.Reading.Claims!;
            slot.Outcome = c.HeadHash == hash && c.HeadEntryId == entryId ? CheckpointOutcome.Consistent : CheckpointOutcome.Rewritten;
            slot.Detail = slot.Outcome == CheckpointOutcome.Consistent
                ? $"Checkpoint {c.Id} (signed {Signed(c)}) matches: position {c.HeadPosition} is {entryId} (hash {Short(hash)})."
                : $"Checkpoint {c.Id} (signed {Signed(c)}) says position {c.HeadPosition} is {c.HeadEntryId} with hash {Short(c.HeadHash)}, "
                  + $"but the chain has {entryId} with hash {Short(hash)} there: the chain was rewritten after the checkpoint.";
        }
    }

    /// <summary>One finding per checkpoint, in the order given.</summary>
    public IReadOnlyList<CheckpointFinding> Finish()
    {
        foreach (var slot in _pending.Values.SelectMany(s => s))
        {
            var c = slot.Reading.Claims!;
            if (_last is null || c.HeadPosition > _last)
            {
                slot.Outcome = CheckpointOutcome.Truncated;
                var ends = _last is null ? "has no entries in the window" : $"ends at position {_last}";
                slot.Detail = $"Checkpoint {c.Id} (signed {Signed(c)}) says the chain had {c.Count} entries, ending with {c.HeadEntryId} "
                    + $"(hash {Short(c.HeadHash)}), but the chain {ends}: entries were cut from the end.";
            }
            else
            {
                slot.Outcome = CheckpointOutcome.Missing;
                slot.Detail = $"Checkpoint {c.Id} (signed {Signed(c)}) names {c.HeadEntryId} at position {c.HeadPosition}, "
                    + "which is missing from the chain: the entry was removed.";
            }
        }

        _pending.Clear();
        return [.. _slots.Select(s => new CheckpointFinding(
            s.Reading.Claims?.Id, s.Reading.Claims?.Count, s.Reading.Claims?.HeadHash, s.Reading.Claims?.HeadEntryId,
            s.Reading.Claims?.SignedAt, s.Reading.Signature.Kid, s.Outcome, s.Detail))];
    }

    private void Classify(Slot slot, string developerId, DateTime? since, DateTime? until)
    {
        var r = slot.Reading;
        var c = r.Claims;
        var name = c?.Id ?? "(unreadable)";
        if (r.Signature.Failure is JwsFailure.Malformed || c is null || c.HeadTimestamp is null)
        {
            slot.Set(CheckpointOutcome.Malformed, $"Checkpoint {name} is not a readable checkpoint{(r.Signature.Problem is { } p ? ": " + p : "")}.");
        }
        else if (r.Signature.Failure is JwsFailure.Invalid)
        {
            slot.Set(CheckpointOutcome.SignatureInvalid, $"Checkpoint {name} is not genuine: {r.Signature.Problem}.");
        }
        else if (r.Signature.Failure is JwsFailure.UnknownKey)
        {
            slot.Set(CheckpointOutcome.UnknownKey, $"Checkpoint {name} could not be checked: {r.Signature.Problem} (a retired key?).");
        }
        else if (c.DeveloperId != developerId)
        {
            slot.Set(CheckpointOutcome.WrongDeveloper, $"Checkpoint {name} is for developer {c.DeveloperId}, not {developerId}.");
        }
        else if (since is { } s && c.HeadTimestamp < s)
        {
            slot.Set(CheckpointOutcome.BeforeWindow, $"Checkpoint {name} covers position {c.HeadPosition}, which lies before the window (since {TimeFormat.Iso(s)}): not checkable here.");
        }
        else if (until is { } u && c.HeadTimestamp > u)
        {
            slot.Set(CheckpointOutcome.AfterWindow, $"Checkpoint {name} covers position {c.HeadPosition}, which lies after the window (until {TimeFormat.Iso(u)}): not checkable here.");
        }
        else
        {
            if (!_pending.TryGetValue(c.HeadPosition, out var list))
            {
                _pending[c.HeadPosition] = list = [];
            }

            list.Add(slot);
        }
    }

    private static string Signed(CheckpointClaims c) => TimeFormat.Iso(c.SignedAt);

    private static string Short(string hash) => hash.Length > 16 ? hash[..16] + "…" : hash;

    private sealed class Slot(CheckpointReading reading)
    {
        public CheckpointReading Reading { get; } = reading;

        public CheckpointOutcome Outcome { get; set; }

        public string Detail { get; set; } = "";

        public void Set(CheckpointOutcome outcome, string detail)
        {
            Outcome = outcome;
            Detail = detail;
        }
    }
}
