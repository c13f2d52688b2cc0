using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Persistence;

/// <summary>
/// Upgrading a PostgreSQL database to the grant_revocations table (issue #14) must carry every grant revoked before
/// it: the revocation index loads from that table at start, so a grant missing there would verify again after the
/// restart that follows the upgrade.
/// </summary>
public sealed class GrantRevocationsMigrationTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    private const string Before = "20261203074631_GrantListExpiryInIndexes";

    [PostgresFact]
    public async Task upgrading_copies_every_revoked_grant_into_grant_revocations_and_a_downgrade_restores_the_partial_index()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var dbs = factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>();
        await using var db = await dbs.CreateDbContextAsync();
        var migrator = db.GetInfrastructure().GetRequiredService<IMigrator>();

        await migrator.MigrateAsync(Before);
        Assert.Contains("IX_grants_Revoked_ExpiresAt", await IndexNamesAsync(db));

        var now = GrantRows.Now();
        Grant Row(GrantStatus status, DateTime expiresAt)
        {
            var grant = GrantRows.Active(api.DeveloperId, agent, "user_upgrade", now.AddHours(-2), expiresAt);
            if (status == GrantStatus.Revoked)
            {
                (grant.Status, grant.RevokedAt, grant.RevokedBy) = (GrantStatus.Revoked, now.AddMinutes(-5), "api");
            }

            return grant;
        }

        var revoked = Row(GrantStatus.Revoked, now.AddHours(1));
        var revokedExpired = Row(GrantStatus.Revoked, now.AddHours(-1));
        var active = Row(GrantStatus.Active, now.AddHours(1));
        db.Grants.AddRange(revoked, revokedExpired, active);
        await db.SaveChangesAsync();

        await migrator.MigrateAsync();
        var copied = await db.Set<GrantRevocation>().AsNoTracking().Where(r => r.DeveloperId == api.DeveloperId).ToListAsync();
        Assert.Equal(
            new[] { (revoked.Id, revoked.ExpiresAt, revoked.RevokedAt!.Value), (revokedExpired.Id, revokedExpired.ExpiresAt, revokedExpired.RevokedAt!.Value) }.Order(),
            copied.Select(r => (r.GrantId, r.ExpiresAt, r.RevokedAt)).Order());
        Assert.DoesNotContain("IX_grants_Revoked_ExpiresAt", await IndexNamesAsync(db));

        // A node starting on the upgraded database refuses the grant revoked before the upgrade.
        var index = new RevocationIndex(dbs, TimeProvider.System);
        await index.LoadAsync();
        Assert.True(index.IsGrantRevoked(revoked.Id));
        Assert.False(index.IsGrantRevoked(active.Id));
    }

    private static Task<List<string>> IndexNamesAsync(GrantexDbContext db) =>
        db.Database.SqlQueryRaw<string>("SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'grants'").ToListAsync();
}
