using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Grantex.Core.Persistence;

/// <summary>
/// Per-connection SQLite settings: durable commits (synchronous=FULL), foreign keys, a busy timeout, and the automatic
/// WAL checkpoint raised to a backstop (<see cref="WalCheckpointer"/> checkpoints off the writer's path).
/// WAL is a property of the file and is set once at start-up (<see cref="DatabaseInitializer"/>).
/// The settings belong to the native connection, which Microsoft.Data.Sqlite's pool keeps open between uses; they are
/// applied once per native connection, not on every open (each read opens a pooled connection, and running the four
/// statements again on each was a visible part of a flow's read cost, issue #14). A handle the pool replaces is new
/// and gets them; <c>SqlitePragmaTests</c> checks that a reused connection still has them.
/// </summary>
internal sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    internal static readonly string Pragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint="
        + WalCheckpointer.BackstopPages.ToString(CultureInfo.InvariantCulture) + ";";

    // The native connections already set up; a disposed handle drops out with its object.
    private static readonly ConditionalWeakTable<sqlite3, object> Configured = [];
    private static readonly object Yes = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (Needs(connection, out var handle))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            Done(handle);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Needs(connection, out var handle))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Done(handle);
        }
    }

    private static bool Needs(DbConnection connection, out sqlite3? handle)
    {
        handle = (connection as SqliteConnection)?.Handle;
        return handle is null || !Configured.TryGetValue(handle, out _);
    }

    private static void Done(sqlite3? handle)
    {
        if (handle is not null)
        {
            Configured.AddOrUpdate(handle, Yes);
        }
    }
}
