using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Persistence;

/// <summary>Prepares the database at start-up (or from the <c>database migrate</c> command): the provider's own preparation, then the committed migrations.</summary>
public static class DatabaseInitializer
{
    /// <summary>Applies pending migrations. Several nodes starting at once are safe: they migrate one at a time, under the provider's migration lock.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(GrantexDbContext db, IDatabaseProvider provider, CancellationToken cancellationToken = default)
    {
        await provider.PrepareAsync(db, cancellationToken);
        await using var migrating = await provider.LockMigrationsAsync(db, cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            // Only when there is something to apply. (EF's diff of the model against the migrations' snapshot, a whole
            // second model built and compared, is switched off in the context options: MigrationSnapshotTests make it.)
            await db.Database.MigrateAsync(cancellationToken);
        }

        return pending;
    }

    /// <summary>With automatic migration off: refuses to start on a database that still needs migrations, naming the command.</summary>
    public static async Task RequireMigratedAsync(GrantexDbContext db, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database needs {pending.Count} migration(s) ({string.Join(", ", pending)}) and Grantex:Database:AutoMigrate is false. Run `Grantex.Console database migrate` first.");
        }
    }
}
