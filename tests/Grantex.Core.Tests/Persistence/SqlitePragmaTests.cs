using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Tests.Persistence;

/// <summary>
/// The per-connection settings are applied once per native connection (<see cref="SqlitePragmaInterceptor"/>): a pooled
/// connection handed out again must still have every one of them, and a connection the pool has never seen gets them.
/// </summary>
public sealed class SqlitePragmaTests(CoreHost host) : IClassFixture<CoreHost>
{
    [Fact]
    public async Task a_reused_pooled_connection_keeps_durable_commits_foreign_keys_and_the_busy_timeout()
    {
        var handles = new List<object>();
        for (var i = 0; i < 4; i++)
        {
            await using var db = await host.DbAsync();
            await db.Database.OpenConnectionAsync();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            handles.Add(connection.Handle!);
            Assert.Equal(
                (2L, 1L, 10_000L, (long)WalCheckpointer.BackstopPages),
                (await PragmaAsync(connection, "synchronous"), await PragmaAsync(connection, "foreign_keys"), await PragmaAsync(connection, "busy_timeout"), await PragmaAsync(connection, "wal_autocheckpoint")));
        }

        // The test means something only if the pool really handed a native connection out twice.
        Assert.True(handles.Distinct(ReferenceEqualityComparer.Instance).Count() < handles.Count, "the pool never reused a connection");
    }

    [Fact]
    public async Task a_connection_the_pool_has_never_seen_gets_the_settings()
    {
        await using var db = await host.DbAsync();
        SqliteConnection.ClearPool((SqliteConnection)db.Database.GetDbConnection());
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        Assert.Equal((2L, 1L), (await PragmaAsync(connection, "synchronous"), await PragmaAsync(connection, "foreign_keys")));
    }

    private static async Task<long> PragmaAsync(SqliteConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
