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
    private readonly RowCommands _rows;
    private readonly List<GrantexEvent> _pendingEvents = [];
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
        _rows = new RowCommands(db);
        db.Writer = this;
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
        // Written when the command's work returns (FlushAsync), in the order emitted; Seq is set then.
        _pendingEvents.Add(committed);
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

    /// <summary>
    /// Inserts <paramref name="row"/> now, with a prepared statement and no change tracking (<see cref="RowCommands"/>):
    /// for the rows every flow writes. Rows it references must already be in the database (inserted the same way, or
    /// saved): tracked changes are only saved when the command's work returns.
    /// </summary>
    public Task InsertAsync<T>(T row)
        where T : class => _rows.InsertAsync(row);

    /// <summary>
    /// Writes the named properties of an untracked <paramref name="row"/> if its concurrency token still holds
    /// <paramref name="expectedToken"/>; otherwise throws as a lost race (see <see cref="RowCommands.UpdateAsync{T}"/>).
    /// </summary>
    public Task UpdateAsync<T>(T row, object expectedToken, params string[] properties)
        where T : class => _rows.UpdateAsync(row, expectedToken, properties);

    internal bool HasPendingEvents => _pendingEvents.Count > 0;

    /// <summary>Writes the events the command emitted (under the event-log lock on a shared database).</summary>
    internal async Task FlushAsync()
    {
        if (_pendingEvents.Count == 0)
        {
            return;
        }

        await _locks.EnsureAsync(WriterLock.Events);
        foreach (var e in _pendingEvents)
        {
            await _rows.InsertAsync(e);
        }

        _pendingEvents.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        Db.Writer = null;
        await _auditInsert.DisposeAsync();
        await _rows.DisposeAsync();
    }

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
        _pendingEvents.Clear();
        Current?.ClearAfterCommit();
    }
}
