using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Persistence;

/// <summary>
/// Everything that differs between the database engines, in one place per engine: how the context is configured,
/// preparing the database before migrations, read snapshots, the locks that keep the audit chain and the event log
/// in order when several processes write, and which errors mean "another process won a race; run the command again".
/// SQLite (<see cref="SqliteDatabaseProvider"/>) has one writing process, so its locks are no-ops; PostgreSQL
/// (<see cref="PostgresDatabaseProvider"/>) may have several nodes and uses advisory locks.
/// </summary>
public interface IDatabaseProvider
{
    DatabaseProviderKind Kind { get; }

    /// <summary>True when other processes may write the same database: caches of rows must not outlive a transaction.</summary>
    bool SharedByProcesses { get; }

    string ConnectionString { get; }

    void Configure(DbContextOptionsBuilder options);

    /// <summary>Runs before migrations (SQLite: the file's folder and WAL mode).</summary>
    Task PrepareAsync(GrantexDbContext db, CancellationToken cancellationToken);

    /// <summary>
    /// Held while one process reads which migrations are pending and applies them, so nodes starting together on a
    /// new database migrate one after the other (SQLite: one process, nothing to hold).
    /// </summary>
    Task<IAsyncDisposable> LockMigrationsAsync(GrantexDbContext db, CancellationToken cancellationToken);

    /// <summary>
    /// Takes <paramref name="key"/> for the rest of the current transaction. With <paramref name="wait"/> false it
    /// returns false at once when another process holds it (the writer then commits what it has and waits for the
    /// lock holding nothing else, so two writers can never wait for each other).
    /// </summary>
    Task<bool> LockAsync(GrantexDbContext db, WriterLock key, bool wait, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> only if no other process is running the job <paramref name="job"/> right now
    /// (one runner per cluster); returns false when it did not run. On SQLite it always runs.
    /// </summary>
    Task<bool> RunAloneAsync(string job, Func<CancellationToken, Task> work, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="ex"/> means the command lost a race with another process (deadlock, serialization).</summary>
    bool IsRaceLost(Exception ex);

    /// <summary>True when <paramref name="ex"/> means the database cannot be reached or refused the write.</summary>
    bool IsUnavailable(Exception ex);
}

/// <summary>A lock the writer takes inside its transaction (PostgreSQL advisory transaction locks).</summary>
public readonly record struct WriterLock(int Class, int Key)
{
    /// <summary>A developer's audit chain: the head is read and appended under it.</summary>
    public static WriterLock Chain(string developerId) => new(1, StableHash(developerId));

    /// <summary>The event log: held from the first event insert to commit, so sequence order is commit order.</summary>
    public static readonly WriterLock Events = new(2, 0);

    /// <summary>Start-up work that must not run twice at once (the first signing key).</summary>
    public static readonly WriterLock Startup = new(3, 0);

    /// <summary>A 32-bit FNV-1a hash, the same in every process (string.GetHashCode is randomized per process).</summary>
    public static int StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }
}

/// <summary>Thrown when a lock is held by another process and the writer must commit first and wait for it.</summary>
public sealed class WriterLockBusyException(WriterLock key) : Exception("Another process holds this lock; the writer retries in a new transaction.")
{
    public WriterLock Key { get; } = key;
}
