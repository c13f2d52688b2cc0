using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Events;
using Grantex.Core.Persistence;
using Grantex.Core.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Grants;

/// <summary>
/// Cascade revocation inside a write command: one statement flips every active grant of the tree(s) to revoked,
/// the audit entry goes in the same transaction, and the in-memory revocation index learns about it after commit.
/// </summary>
public sealed class GrantRevoker(RevocationIndex index, ChangeNotifier changes, GrantexMetrics metrics)
{
    /// <summary>Revokes a grant and all its delegated descendants; returns the revoked rows (empty if none was active).</summary>
    public async Task<IReadOnlyList<RevokedGrantRow>> RevokeTreeAsync(
        WriteContext ctx, string developerId, string grantId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        var grant = await ctx.Db.Grants.AsNoTracking().FirstOrDefaultAsync(g => g.Id == grantId && g.DeveloperId == developerId, cancellationToken);
        if (grant is not { Status: GrantStatus.Active })
        {
            return [];
        }

        // A root grant's tree is every grant with its id as root (indexed); a subtree needs the walk down the parent links.
        var rows = await RunAsync(ctx, grant.RootGrantId == grant.Id ? null : GrantTreeSql.Seed.Grant, developerId, grantId, actor, cancellationToken);
        if (rows.Count > 0)
        {
            await AuditAsync(ctx, grant.AuditSubject, rows, actor, reason);
        }

        return rows;
    }

    /// <summary>Revokes every active grant an agent holds, with their descendants; returns the number revoked.</summary>
    public async Task<int> RevokeAgentAsync(WriteContext ctx, string developerId, string agentId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        var rows = await RunAsync(ctx, GrantTreeSql.Seed.Agent, developerId, agentId, actor, cancellationToken);
        await AuditRootsAsync(ctx, rows, actor, reason, cancellationToken);
        return rows.Count;
    }

    /// <summary>Revokes every active grant a principal gave, with their descendants; returns the number revoked.</summary>
    public async Task<int> RevokePrincipalAsync(WriteContext ctx, string developerId, string principalId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        var rows = await RunAsync(ctx, GrantTreeSql.Seed.Principal, developerId, principalId, actor, cancellationToken);
        await AuditRootsAsync(ctx, rows, actor, reason, cancellationToken);
        return rows.Count;
    }

    /// <summary>
    /// Flips the active grants of a tree (by its root when <paramref name="seed"/> is null, else walking down from
    /// the seed's grants) and returns them. The 10,000-grant cascade is one statement either way; how its rows come
    /// back differs per engine, because reading them row by row was half its CPU (see <see cref="GrantTreeSql"/>).
    /// </summary>
    private async Task<List<RevokedGrantRow>> RunAsync(
        WriteContext ctx, GrantTreeSql.Seed? seed, string developerId, string seedValue, string actor, CancellationToken cancellationToken)
    {
        var now = Cursor.FromTime(ctx.Now);
        var revokedBy = actor.Length > 64 ? actor[..64] : actor;
        var database = ctx.Db.Database;
        List<RevokedGrantRow> rows;
#pragma warning disable EF1002 // The SQL is a GrantTreeSql constant or built from its allow-listed enum; every value is a parameter.
        if (database.IsNpgsql())
        {
            rows = GrantTreeSql.RevokedRows(await ScalarAsync(GrantTreeSql.RevokeAggregatedPostgres(seed), developerId, seedValue, now, revokedBy));
        }
        else if (seed is null)
        {
            rows = GrantTreeSql.RevokedRows(await ScalarAsync(GrantTreeSql.ListByRootSqlite, developerId, seedValue));
            var changed = await database.ExecuteSqlRawAsync(GrantTreeSql.RevokeByRootNoReturning, [developerId, seedValue, now, revokedBy], cancellationToken);
            if (changed != rows.Count)
            {
                // Cannot happen with one writer; if it ever did, the command fails and its transaction rolls back.
                throw new InvalidOperationException($"The cascade listed {rows.Count} active grants but changed {changed}.");
            }
        }
        else
        {
            rows = await database.SqlQueryRaw<RevokedGrantRow>(GrantTreeSql.RevokeTree(seed.Value), developerId, seedValue, now, revokedBy)
                .ToListAsync(cancellationToken);
        }
#pragma warning restore EF1002

        await RevocationSync.AnnounceGrantsAsync(ctx, rows);
        ctx.AfterCommit(() =>
        {
            foreach (var row in rows)
            {
                index.RevokeGrant(row.Id, row.ExpiresAtUtc);
            }

            metrics.GrantsRevoked(rows.Count);
            if (rows.Count > 0)
            {
                changes.Publish(new ChangeNotice(ChangeKind.GrantsRevoked, developerId, [.. rows.Select(r => r.Id)]));
            }
        });
        return rows;

        // Not composed (no FirstOrDefault): PostgreSQL refuses a data-modifying CTE inside a subquery.
        async Task<string?> ScalarAsync(string sql, params object[] parameters) =>
            (await database.SqlQueryRaw<string>(sql, parameters).ToListAsync(cancellationToken)).SingleOrDefault();
    }

    private static async Task AuditRootsAsync(WriteContext ctx, List<RevokedGrantRow> rows, string actor, string reason, CancellationToken cancellationToken)
    {
        var roots = GrantForest.Roots(rows, r => r.Id, r => r.ParentGrantId).ConvertAll(r => r.Id);
        // Only what the entries name (not whole grants: 10,000 materialised roots were a quarter of a principal's revocation).
        var subjects = await ctx.Db.Grants.AsNoTracking().Where(g => roots.Contains(g.Id))
            .Select(g => new AuditSubject(g.DeveloperId, g.AgentId, g.Id, g.PrincipalId)).ToListAsync(cancellationToken);
        // Built once for every root: per root they made a principal's 10,000 one-grant trees quadratic (about a minute).
        var children = rows.Where(r => r.ParentGrantId is not null).ToLookup(r => r.ParentGrantId!, r => r.Id, StringComparer.Ordinal);
        var byId = rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var root in subjects)
        {
            await AuditAsync(ctx, root, GrantForest.WithDescendants([root.GrantId], children).ConvertAll(id => byId[id]), actor, reason);
        }
    }

    /// <summary>The audit entry and the <c>grant.revoked</c> event of one revoked tree, named by its root.</summary>
    private static Task<AuditEntry> AuditAsync(WriteContext ctx, AuditSubject root, IReadOnlyList<RevokedGrantRow> rows, string actor, string reason)
    {
        var ids = rows.Select(r => r.Id).Where(id => id != root.GrantId).Prepend(root.GrantId).ToList();
        ctx.Emit(new EventDraft(root.DeveloperId, EventTypes.GrantRevoked, new GrantRevokedData(root.GrantId, rows.Count > 1, ids, reason)));
        return ctx.AppendAuditAsync(AuditDraft.For(root, AuditActions.GrantRevoked, actor,
            AuditMetadata.With("cascade", rows.Count > 1).And("reason", reason).And("revokedGrants", rows.Count)));
    }
}
