using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Events;

namespace Grantex.Core.Persistence;

/// <summary>What a queued write command sees: the writer's DbContext (inside the batch transaction), the clock,
/// the audit chain, and a way to act once the transaction is durable.</summary>
public sealed class WriteContext : IAsyncDisposable
{
    private readonly AuditChainHeads _heads;
    private readonly TimeProvider _time;
    private readonly AuditInsertCommand _auditInsert;
    private readonly EventBus _events;
    private int _auditAppendsBeforeCommand;
    private readonly WriterLocks _locks;
    private readonly ClusterNotifications _cluster;

    internal WriteContext(GrantexDbContext db, AuditChainHeads heads, TimeProvider time, EventBus events, WriterLocks locks, ClusterNotifications cluster)
    {
        _cluster = cluster;
        Db = db;
        _locks = locks;
        _heads = heads;
        _time = time;
        _events = events;
        _auditInsert = new AuditInsertCommand(db);
    }

    public GrantexDbContext Db { get; }

    internal WriteItem? Current { get; set; }

    /// <summary>The current time, in whole milliseconds (the stored precision).</summary>
    public DateTime Now => _time.UtcNowMillis();

    /// <summary>Runs after the batch commits (and never if it does not), before the caller gets the result.</summary>
    public void AfterCommit(Action action) =>
        (Current ?? throw new InvalidOperationException("No command is running.")).AddAfterCommit(action);

    /// <summary>Appends an entry to the developer's chain within this transaction.</summary>
    public Task<AuditEntry> AppendAuditAsync(AuditDraft draft)
    {
        AuditAppends++;
        return _heads.AppendAsync(Db, draft, _time, _auditInsert, _locks);
    }

    /// <summary>Audit entries this transaction holds so far (those of rolled-back commands not counted), for the metrics.</summary>
    internal int AuditAppends { get; private set; }

    /// <summary>
    /// Writes an event to the durable log within this transaction (so it exists exactly when the change that caused
    /// it does); listeners hear of it once the batch is committed.
    /// </summary>
    public GrantexEvent Emit(EventDraft draft)
    {
        var committed = draft.ToEvent(Now);
        Db.Events.Add(committed);
        if (_cluster.Enabled)
        {
            // Several nodes: every node (this one too) publishes events from the log when told, in sequence order.
            EventsEmitted = true;
        }
        else
        {
            AfterCommit(() => _events.Publish(committed));
        }

        return committed;
    }

    /// <summary>
    /// Tells the other nodes (and this one's listener) about this command's change, delivered when the transaction
    /// commits and never if the command is rolled back. Nothing on SQLite.
    /// </summary>
    public Task AnnounceAsync(char kind, string data) => _cluster.SendInTransactionAsync(Db, kind, data);

    /// <summary>Whether <see cref="AnnounceAsync"/> sends anything (a shared PostgreSQL database), so callers can skip building large messages.</summary>
    public bool Announces => _cluster.Enabled;

    internal bool EventsEmitted { get; private set; }

    public ValueTask DisposeAsync() => _auditInsert.DisposeAsync();

    internal void BeginCommand()
    {
        _auditAppendsBeforeCommand = AuditAppends;
        _heads.BeginCommand();
        _locks.BeginCommand();
    }

    internal void CompleteCommand()
    {
        _heads.CompleteCommand();
        _locks.CompleteCommand();
    }

    internal void RollbackCommand()
    {
        _heads.RollbackCommand();
        AuditAppends = _auditAppendsBeforeCommand;
        _locks.RollbackCommand();
        Current?.ClearAfterCommit();
    }
}
