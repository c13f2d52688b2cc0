using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Persistence;

/// <summary>
/// Where revoked grants are indexed is a per-engine choice (ADR 0002, issue #14). On PostgreSQL a cascade must be a
/// run of HOT updates — no index on grants may name a column a revocation changes, and pages keep room for the new
/// row versions — with the revoked ids kept in grant_revocations by the cascade's own statement. On SQLite the revoked
/// grants' partial index stays. CascadeRowsTests checks on both engines that a reloaded revocation index and the
/// console's counts see every revocation.
/// </summary>
public sealed class RevokedGrantsStorageTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    private static readonly string[] RevocationColumns = ["\"Status\"", "\"RevokedAt\"", "\"RevokedBy\""];

    [PostgresFact]
    public async Task on_postgresql_no_grant_index_names_a_column_a_revocation_changes_and_a_cascade_is_all_hot_updates()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        var indexes = await db.Database.SqlQueryRaw<string>("SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'grants'").ToListAsync();
        Assert.NotEmpty(indexes);
        Assert.All(indexes, definition => Assert.DoesNotContain(RevocationColumns, definition.Contains));
        var options = await db.Database.SqlQueryRaw<string>("SELECT coalesce(array_to_string(reloptions, ','), '') AS \"Value\" FROM pg_class WHERE relname = 'grants'").SingleAsync();
        Assert.Contains("fillfactor=50", options, StringComparison.Ordinal);

        // A 300-grant tree created together, then revoked from its root: every row version a HOT update.
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var now = GrantRows.Now();
        Grant Row(Grant? parent) => GrantRows.Active(api.DeveloperId, agent, "user_hot", now, now.AddHours(1), parent, ["files:read", "calendar:write"], "https://api.example");
        var root = Row(null);
        await factory.Services.GetRequiredService<WriteQueue>().ExecuteAsync(async ctx =>
        {
            await ctx.InsertAsync(root);
            for (var i = 1; i < 300; i++)
            {
                await ctx.InsertAsync(Row(root));
            }

            return 0;
        });
        var before = await UpdatesAsync(db);
        var revoked = await factory.Services.GetRequiredService<GrantService>()
            .RevokeAsync(new RevocationTarget(RevocationScope.Grant, api.DeveloperId, root.Id), "console:hot");
        Assert.Equal(300, revoked.Value);

        // The writer's backend reports its table statistics shortly after it goes idle; wait for the 300 updates.
        (long Updated, long Hot) after = default;
        await Eventually.UntilAsync(async () => (after = await UpdatesAsync(db)).Updated - before.Updated >= 300, "the cascade's updates never reached pg_stat_user_tables");
        Assert.Equal(300, after.Updated - before.Updated);
        Assert.Equal(300, after.Hot - before.Hot);
        Assert.Equal(300, await db.Set<GrantRevocation>().CountAsync(r => r.DeveloperId == api.DeveloperId));
    }

    [SqliteFact]
    public async Task on_sqlite_revoked_grants_keep_their_partial_index()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        var sql = await db.Database.SqlQueryRaw<string>("SELECT sql AS \"Value\" FROM sqlite_master WHERE type = 'index' AND name = 'IX_grants_Revoked_ExpiresAt'").SingleAsync();
        Assert.Contains("WHERE \"Status\" = 'Revoked'", sql, StringComparison.Ordinal);
        Assert.Empty(await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE name = 'grant_revocations'").ToListAsync());
    }

    private static async Task<(long Updated, long Hot)> UpdatesAsync(GrantexDbContext db)
    {
        var row = await db.Database.SqlQueryRaw<string>(
            "SELECT n_tup_upd || ':' || n_tup_hot_upd AS \"Value\" FROM pg_stat_user_tables WHERE relname = 'grants'").SingleAsync();
        var parts = row.Split(':');
        return (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
