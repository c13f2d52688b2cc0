using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Persistence;

/// <summary>Prepares the database at start-up: creates the folder of a SQLite file, WAL mode, committed migrations.</summary>
public static class DatabaseInitializer
{
    public static async Task MigrateAsync(GrantexDbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqlite())
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

        await db.Database.MigrateAsync(cancellationToken);
    }
}
