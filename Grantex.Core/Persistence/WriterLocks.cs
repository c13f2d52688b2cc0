namespace Grantex.Core.Persistence;

/// <summary>
/// The locks one writer transaction holds (PostgreSQL advisory transaction locks; on SQLite nothing is ever taken).
/// A lock is only ever waited for while the transaction holds no other (the first thing a new transaction does);
/// later in the transaction it is tried, and when busy the writer commits what it has and starts over waiting for
/// it. So two nodes' writers can never wait for each other in a cycle.
/// </summary>
internal sealed class WriterLocks(IDatabaseProvider provider, GrantexDbContext db)
{
    private readonly HashSet<WriterLock> _held = [];
    private readonly List<WriterLock> _takenByCommand = [];

    public bool Enabled => provider.SharedByProcesses;

    /// <summary>Takes <paramref name="key"/> unless held; throws <see cref="WriterLockBusyException"/> when another process has it.</summary>
    public async Task EnsureAsync(WriterLock key, CancellationToken cancellationToken = default)
    {
        if (!Enabled || _held.Contains(key))
        {
            return;
        }

        if (!await provider.LockAsync(db, key, wait: false, cancellationToken))
        {
            throw new WriterLockBusyException(key);
        }

        _held.Add(key);
        _takenByCommand.Add(key);
    }

    /// <summary>Waits for <paramref name="key"/>: only at the start of a transaction, holding nothing else.</summary>
    public async Task WaitAsync(WriterLock key, CancellationToken cancellationToken = default)
    {
        if (_held.Count > 0)
        {
            throw new InvalidOperationException("A writer waits for a lock only while it holds none.");
        }

        await provider.LockAsync(db, key, wait: true, cancellationToken);
        _held.Add(key);
    }

    public bool Holds(WriterLock key) => _held.Contains(key);

    public void BeginCommand() => _takenByCommand.Clear();

    public void CompleteCommand() => _takenByCommand.Clear();

    /// <summary>A rolled-back savepoint releases what it took (PostgreSQL releases locks of an aborted subtransaction).</summary>
    public void RollbackCommand()
    {
        foreach (var key in _takenByCommand)
        {
            _held.Remove(key);
        }

        _takenByCommand.Clear();
    }
}
