using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Persistence;

/// <summary>
/// A DbContext inside one read transaction, so that counts, rows and the chain walk of an export all see the same
/// moment even while the writer keeps committing. The provider begins it (by the connection's engine):
/// on SQLite a DEFERRED transaction (a WAL read snapshot that never takes the write lock), on PostgreSQL a read-only
/// REPEATABLE READ one.
/// </summary>
internal sealed class ReadSnapshot : IAsyncDisposable
{
    private readonly DbTransaction _transaction;

    private ReadSnapshot(GrantexDbContext db, DbTransaction transaction)
    {
        Db = db;
        _transaction = transaction;
    }

    public GrantexDbContext Db { get; }

    public static async Task<ReadSnapshot> OpenAsync(IDbContextFactory<GrantexDbContext> factory, CancellationToken cancellationToken)
    {
        var db = await factory.CreateDbContextAsync(cancellationToken);
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            var transaction = connection is Npgsql.NpgsqlConnection
                ? await PostgresDatabaseProvider.BeginSnapshotAsync(connection, cancellationToken)
                : await SqliteDatabaseProvider.BeginSnapshotAsync(connection, cancellationToken);
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            return new ReadSnapshot(db, transaction);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Db.Database.UseTransactionAsync(null);
        await _transaction.DisposeAsync();
        await Db.Database.CloseConnectionAsync();
        await Db.DisposeAsync();
    }
}
