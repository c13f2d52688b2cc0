using System.Diagnostics;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Grants;

/// <summary>Reading grants and revoking them (wire format §3.9, §6).</summary>
public sealed partial class GrantService(IDbContextFactory<GrantexDbContext> factory, WriteQueue writes, GrantRevoker revoker, TimeProvider time)
{
    public static readonly string[] Statuses = ["active", "revoked", "expired"];

    /// <summary>Newest first, keyset-paginated on (IssuedAt, Id).</summary>
    public Task<Result<Page<Grant>>> ListAsync(string developerId, GrantFilter filter, Cursor? after, int size, CancellationToken cancellationToken = default) =>
        QueryPageAsync(developerId, filter, after, size, cancellationToken);

    /// <summary>The one grant-list query: one developer's grants, or every developer's when <paramref name="developerId"/> is null.</summary>
    private async Task<Result<Page<Grant>>> QueryPageAsync(string? developerId, GrantFilter filter, Cursor? after, int size, CancellationToken cancellationToken)
    {
        if (filter.Status is not null && !Statuses.Contains(filter.Status))
        {
            return GxError.BadRequest("status must be one of active, revoked, expired.", "status");
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.UtcNowMillis();
        var query = db.Grants.AsNoTracking();
        if (developerId is not null)
        {
            query = query.Where(g => g.DeveloperId == developerId);
        }

        if (filter.AgentId is not null)
        {
            query = query.Where(g => g.AgentId == filter.AgentId);
        }

        if (filter.PrincipalId is not null)
        {
            query = query.Where(g => g.PrincipalId == filter.PrincipalId);
        }

        if (filter.RootGrantId is not null)
        {
            query = query.Where(g => g.RootGrantId == filter.RootGrantId);
        }

        // Status is two-valued, so "!= the other one" is the same filter; written this way the planner cannot pick the
        // (Status, ExpiresAt) index and sort every match, and instead walks the newest-first index and stops after a page
        // (measured with 100,000 grants: 140 ms -> under 1 ms for status=active).
        Debug.Assert(Enum.GetValues<GrantStatus>().Length == 2, "The status filters below assume two statuses.");
        query = filter.Status switch
        {
            "active" => query.Where(g => g.Status != GrantStatus.Revoked && g.ExpiresAt > now),
            "revoked" => query.Where(g => g.Status != GrantStatus.Active),
            "expired" => query.Where(g => g.Status != GrantStatus.Revoked && g.ExpiresAt <= now),
            _ => query,
        };
        if (filter.IssuedFrom is { } from)
        {
            query = query.Where(g => g.IssuedAt >= from);
        }

        if (filter.IssuedTo is { } to)
        {
            query = query.Where(g => g.IssuedAt <= to);
        }

        List<Grant> rows;
        if (filter.Scope is not null && filter.PrincipalId is null && filter.RootGrantId is null)
        {
            // The scope index drives the page: its (IssuedAt, GrantId) order is the list's, so a scope few grants have
            // costs a few index rows instead of every grant's scope array (1,000,000 grants: seconds -> milliseconds).
            // A principal's or a tree's grants are few: those filters keep their own index and check the array.
            var scopes = db.Set<GrantScope>().Where(s => s.Scope == filter.Scope);
            if (developerId is not null)
            {
                scopes = scopes.Where(s => s.DeveloperId == developerId);
            }

            if (after is { } c)
            {
                var at = Cursor.ToTime(c.Key);
                scopes = scopes.Where(s => s.IssuedAt < at || (s.IssuedAt == at && string.Compare(s.GrantId, c.Id) < 0));
            }

            rows = await scopes.Join(query, s => s.GrantId, g => g.Id, (s, g) => new { s.IssuedAt, s.GrantId, Grant = g })
                .OrderByDescending(x => x.IssuedAt).ThenByDescending(x => x.GrantId).Select(x => x.Grant)
                .Take(size + 1).ToListAsync(cancellationToken);
        }
        else
        {
            if (filter.Scope is not null)
            {
                query = query.Where(g => g.Scopes.Contains(filter.Scope));
            }

            if (after is { } c)
            {
                var at = Cursor.ToTime(c.Key);
                query = query.Where(g => g.IssuedAt < at || (g.IssuedAt == at && string.Compare(g.Id, c.Id) < 0));
            }

            rows = await query.OrderByDescending(g => g.IssuedAt).ThenByDescending(g => g.Id).Take(size + 1).ToListAsync(cancellationToken);
        }

        var next = rows.Count > size ? new Cursor(Cursor.FromTime(rows[size - 1].IssuedAt), rows[size - 1].Id).Encode() : null;
        return new Page<Grant>(rows.Take(size).ToList(), next);
    }

    public async Task<Grant?> GetAsync(string developerId, string grantId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Grants.AsNoTracking().FirstOrDefaultAsync(g => g.Id == grantId && g.DeveloperId == developerId, cancellationToken);
    }

    /// <summary>Every grant of the tree rooted at <paramref name="grantId"/> (itself and all descendants).</summary>
    public async Task<IReadOnlyList<Grant>> GetTreeAsync(string developerId, string grantId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var ids = await db.Database.SqlQueryRaw<string>(GrantTreeSql.TreeIds, developerId, grantId).ToListAsync(cancellationToken);
        return await db.Grants.AsNoTracking().Where(g => ids.Contains(g.Id)).OrderBy(g => g.DelegationDepth).ThenBy(g => g.IssuedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Revokes a grant and its whole delegation tree atomically; returns how many grants were revoked.</summary>
    public async Task<Result<int>> RevokeAsync(string developerId, string grantId, string actor, CancellationToken cancellationToken = default)
    {
        if (grantId.Length > 256)
        {
            return GxError.NotFound("Grant not found or already revoked.");
        }

        return await writes.ExecuteAsync<Result<int>>(async ctx =>
        {
            var rows = await revoker.RevokeTreeAsync(ctx, developerId, grantId, actor, "revoked", cancellationToken);
            return rows.Count == 0 ? GxError.NotFound("Grant not found or already revoked.") : rows.Count;
        }, cancellationToken);
    }
}
