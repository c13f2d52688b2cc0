using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Grantex.Core.Persistence;

/// <summary>
/// Per-connection SQLite settings: durable commits (synchronous=FULL), foreign keys, a busy timeout, and the automatic
/// WAL checkpoint raised to a backstop (<see cref="WalCheckpointer"/> checkpoints off the writer's path).
/// WAL is a property of the file and is set once at start-up (<see cref="DatabaseInitializer"/>).
/// </summary>
internal sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    internal static readonly string Pragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint="
        + WalCheckpointer.BackstopPages.ToString(CultureInfo.InvariantCulture) + ";";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
