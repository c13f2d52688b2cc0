using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Grantex.Core.Persistence;

/// <summary>
/// The savepoint around each writer command (<see cref="WriteQueue"/>), as three statements prepared once per writer
/// transaction and run directly on its connection. The same SQL as EF's <c>CreateSavepointAsync</c>,
/// <c>ReleaseSavepointAsync</c> and <c>RollbackToSavepointAsync</c> (standard on SQLite and PostgreSQL), without a new
/// command, a re-parse and EF's transaction diagnostics for each: two of these run for every command (issue #14).
/// </summary>
internal sealed class CommandSavepoint(GrantexDbContext db) : IAsyncDisposable
{
    private DbCommand? _create;
    private DbCommand? _release;
    private DbCommand? _rollback;

    public Task CreateAsync() => Run(ref _create, "SAVEPOINT cmd");

    public Task ReleaseAsync() => Run(ref _release, "RELEASE SAVEPOINT cmd");

    public Task RollbackAsync() => Run(ref _rollback, "ROLLBACK TO SAVEPOINT cmd");

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _create, _release, _rollback })
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }

    private Task Run(ref DbCommand? command, string sql)
    {
        if (command is null)
        {
            command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                ?? throw new InvalidOperationException("Savepoints only exist inside the writer's transaction.");
            command.CommandText = sql;
        }

        return command.ExecuteNonQueryAsync();
    }
}
