using System.Data;
using System.Data.Common;
using Grantex.Core.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Grantex.Core.Persistence;

/// <summary>
/// PostgreSQL, for one or several nodes on one database. Each node still has its single writer batching commands;
/// between nodes, order comes from the database: conditional updates and concurrency tokens for single use,
/// advisory transaction locks for each developer's audit chain and for the event log (so sequence order is commit
/// order), and a session advisory lock for background jobs that run once per cluster. Migrations live in the
/// Grantex.Migrations.PostgreSQL assembly.
/// </summary>
internal sealed class PostgresDatabaseProvider(string connectionString) : IDatabaseProvider
{
    public const string MigrationsAssembly = "Grantex.Migrations.PostgreSQL";

    // Advisory lock classes: the writer's (WriterLock.Class 1-3), background jobs (4) and migrations (5).
    private const int JobClass = 4;
    private const int MigrationClass = 5;

    public DatabaseProviderKind Kind => DatabaseProviderKind.PostgreSQL;

    public bool SharedByProcesses => true;

    public string ConnectionString => connectionString;

    // The compiled model (CompiledModels/PostgreSQL), as for SQLite: CompiledModelTests fail when it is stale.
    public void Configure(DbContextOptionsBuilder options) =>
        options.UseModel(CompiledModels.PostgreSQL.GrantexDbContextModel.Instance)
            .UseNpgsql(connectionString, o => o.MigrationsAssembly(MigrationsAssembly))
            .AddInterceptors(new EventLogLockInterceptor());

    public Task PrepareAsync(GrantexDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SET TRANSACTION READ ONLY";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    public async Task<bool> LockAsync(GrantexDbContext db, WriterLock key, bool wait, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Writer locks are only taken inside the writer's transaction.");
        command.CommandText = wait ? "SELECT pg_advisory_xact_lock(@c, @k)" : "SELECT pg_try_advisory_xact_lock(@c, @k)";
        command.Parameters.Add(new NpgsqlParameter("c", key.Class));
        command.Parameters.Add(new NpgsqlParameter("k", key.Key));
        if (wait)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }

        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>
    /// A session advisory lock on a connection of its own, held until disposed. EF Core's own migration lock did not
    /// keep three processes starting together on a new database apart (one applied a migration another had just
    /// applied: "column already exists"), so the whole read-pending-and-apply runs under this one. The database is
    /// created first (EF Core would create it too), tolerating another process creating it at the same moment.
    /// </summary>
    public async Task<IAsyncDisposable> LockMigrationsAsync(GrantexDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
            {
                // Another node created it first.
            }
        }

        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@c, 0)", connection);
            take.Parameters.AddWithValue("c", MigrationClass);
            await take.ExecuteNonQueryAsync(cancellationToken);
            return new MigrationLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<bool> RunAloneAsync(string job, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var key = WriterLock.StableHash(job);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@c, @k)", connection))
        {
            take.Parameters.AddWithValue("c", JobClass);
            take.Parameters.AddWithValue("k", key);
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return false;
            }
        }

        try
        {
            await work(cancellationToken);
            return true;
        }
        finally
        {
            // Closing the session releases it too; unlocking first keeps a pooled connection clean.
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@c, @k)", connection);
            release.Parameters.AddWithValue("c", JobClass);
            release.Parameters.AddWithValue("k", key);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    public bool IsRaceLost(Exception ex) => ex switch
    {
        DbUpdateConcurrencyException => true,
        PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.UniqueViolation } => true,
        _ when ex.InnerException is not null => IsRaceLost(ex.InnerException),
        _ => false,
    };

    public bool IsUnavailable(Exception ex) => ex is NpgsqlException { IsTransient: true } || (ex.InnerException is { } inner && IsUnavailable(inner));

    private sealed class MigrationLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Closing the session releases it too; unlocking first keeps a pooled connection clean.
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@c, 0)", connection);
                release.Parameters.AddWithValue("c", MigrationClass);
                await release.ExecuteScalarAsync(CancellationToken.None);
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Takes the event-log lock before the writer inserts events, so two nodes never interleave sequence numbers: a
    /// reader that has seen event N has seen every event before it. Busy: the writer commits and waits for it.
    /// </summary>
    private sealed class EventLogLockInterceptor : SaveChangesInterceptor
    {
        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context is GrantexDbContext { WriterLocks: { } locks } db
                && db.ChangeTracker.Entries<GrantexEvent>().Any(e => e.State == EntityState.Added))
            {
                await locks.EnsureAsync(WriterLock.Events, cancellationToken);
            }

            return result;
        }

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
            eventData.Context is GrantexDbContext { WriterLocks: not null } db && db.ChangeTracker.Entries<GrantexEvent>().Any(e => e.State == EntityState.Added)
                ? throw new InvalidOperationException("The writer saves asynchronously.")
                : result;
    }
}
