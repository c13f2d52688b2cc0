using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Persistence;

/// <summary>
/// SQLite: one process writes (the single writer), so the writer's locks are no-ops and every in-memory cache of
/// rows stays valid across transactions. Durable commits and foreign keys per connection
/// (<see cref="SqlitePragmaInterceptor"/>), WAL set once at start-up.
/// </summary>
internal sealed class SqliteDatabaseProvider(string connectionString) : IDatabaseProvider
{
    public DatabaseProviderKind Kind => DatabaseProviderKind.Sqlite;

    public bool SharedByProcesses => false;

    public string ConnectionString => connectionString;

    public void Configure(DbContextOptionsBuilder options) =>
        options.UseSqlite(connectionString).AddInterceptors(new SqlitePragmaInterceptor());

    public Task<IAsyncDisposable> LockMigrationsAsync(GrantexDbContext db, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public async Task PrepareAsync(GrantexDbContext db, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // WAL is persistent in the file: readers never block the writer, and commits append instead of rewriting.
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.CloseConnectionAsync();
    }

    // DEFERRED: a WAL read snapshot that never takes the write lock, so the single writer is not blocked.
    public static Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: true));

    public Task<bool> LockAsync(GrantexDbContext db, WriterLock key, bool wait, CancellationToken cancellationToken) => Task.FromResult(true);

    public async Task<bool> RunAloneAsync(string job, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await work(cancellationToken);
        return true;
    }

    public bool IsRaceLost(Exception ex) => false;

    public bool IsUnavailable(Exception ex) => ex is SqliteException;

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
