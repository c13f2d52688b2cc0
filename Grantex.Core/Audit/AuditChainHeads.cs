using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Audit;

/// <summary>
/// The head (last hash and position) of each developer's chain, owned by the single writer. Only the writer
/// loop touches it, one command at a time, so it needs no locks. Changes made by a command that is rolled back
/// are undone; after a failed batch the cache is dropped and re-read from the database. With several nodes
/// (PostgreSQL) the cache lives for one transaction only and each head is read under the developer's advisory lock.
/// </summary>
public sealed class AuditChainHeads
{
    private readonly Dictionary<string, Head> _heads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Head?> _undo = new(StringComparer.Ordinal);
    private bool _inCommand;
    private DateTime _lastTimestamp;
    private Ulid _lastId;

    internal async Task<AuditEntry> AppendAsync(GrantexDbContext db, AuditDraft draft, TimeProvider time, AuditInsertCommand insert, WriterLocks locks)
    {
        if (!_heads.TryGetValue(draft.DeveloperId, out var head))
        {
            // Several nodes (PostgreSQL): the head is read under the developer's lock, held to commit, so no other
            // node can append between this read and this transaction's commit. (SQLite: no-op, one writer.)
            await locks.EnsureAsync(WriterLock.Chain(draft.DeveloperId));
            var last = await db.AuditEntries.AsNoTracking()
                .Where(e => e.DeveloperId == draft.DeveloperId)
                .OrderByDescending(e => e.ChainIndex)
                .Select(e => new { e.Id, e.Hash, e.ChainIndex, e.Timestamp })
                .FirstOrDefaultAsync();
            head = last is null ? new Head(null, -1) : new Head(last.Hash, last.ChainIndex);
            if (last is not null && locks.Enabled)
            {
                // Another node's clock may be ahead: keep "timestamp, then id" in chain order regardless.
                NotBefore(last.Timestamp, last.Id);
            }
            if (_inCommand)
            {
                _undo.TryAdd(draft.DeveloperId, null);
            }
        }
        else if (_inCommand)
        {
            _undo.TryAdd(draft.DeveloperId, head);
        }

        var (id, timestamp) = NextIdAndTime(time);
        var entry = new AuditEntry
        {
            Id = id,
            ChainIndex = head.Index + 1,
            DeveloperId = draft.DeveloperId,
            AgentId = draft.AgentId,
            AgentDid = draft.AgentDid,
            GrantId = draft.GrantId,
            PrincipalId = draft.PrincipalId,
            Action = draft.Action,
            MetadataJson = draft.CanonicalMetadata,
            Timestamp = timestamp,
            PrevHash = head.Hash,
            Status = draft.Status,
            Actor = draft.Actor,
            Hash = AuditHash.Compute(new AuditHashInput(
                id, draft.AgentId, draft.AgentDid, draft.GrantId, draft.PrincipalId, draft.DeveloperId, draft.Action,
                draft.CanonicalMetadata, TimeFormat.Iso(timestamp), head.Hash, draft.Status)),
        };
        await insert.InsertAsync(entry);
        _heads[draft.DeveloperId] = new Head(entry.Hash, entry.ChainIndex);
        return entry;
    }

    internal void BeginCommand()
    {
        _undo.Clear();
        _inCommand = true;
    }

    internal void CompleteCommand()
    {
        _undo.Clear();
        _inCommand = false;
    }

    internal void RollbackCommand()
    {
        foreach (var (developer, previous) in _undo)
        {
            if (previous is null)
            {
                _heads.Remove(developer);
            }
            else
            {
                _heads[developer] = previous;
            }
        }

        _undo.Clear();
        _inCommand = false;
    }

    internal void Reset()
    {
        _heads.Clear();
        _undo.Clear();
        _inCommand = false;
    }

    private void NotBefore(DateTime timestamp, string id)
    {
        if (!Ulid.TryParse(id.AsSpan(Ids.AuditEntry.Length), out var ulid))
        {
            return;
        }

        if (timestamp > _lastTimestamp || (timestamp == _lastTimestamp && ulid.CompareTo(_lastId) > 0))
        {
            _lastTimestamp = timestamp;
            _lastId = ulid;
        }
    }

    // Ids and timestamps only ever grow, so "timestamp ASC, id ASC" (REF's order) is also chain order.
    private (string Id, DateTime Timestamp) NextIdAndTime(TimeProvider time)
    {
        var now = time.UtcNowMillis();
        if (now > _lastTimestamp)
        {
            _lastTimestamp = now;
            _lastId = Ulid.NewUlid(new DateTimeOffset(now));
        }
        else
        {
            _lastId = Increment(_lastId);
        }

        return (Ids.AuditEntry + _lastId, _lastTimestamp);
    }

    private static Ulid Increment(Ulid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes);
        for (var i = 15; i >= 6; i--)
        {
            if (++bytes[i] != 0)
            {
                break;
            }
        }

        return new Ulid(bytes);
    }

    private sealed record Head(string? Hash, long Index);
}
