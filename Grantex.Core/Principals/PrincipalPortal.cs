using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Principals;

/// <summary>
/// What a person may do with a principal session (wire format §7.7): read their active grants and the audit entries
/// about them, revoke one grant (with its delegated descendants) or all of them — every revocation through the one
/// cascade revoker, so the revocation index, <c>grant.revoked</c> events, audit entries and the console's live
/// updates all follow. Only the session's own developer and principal are ever reachable.
/// </summary>
public sealed class PrincipalPortal(IDbContextFactory<GrantexDbContext> factory, WriteQueue writes, GrantRevoker revoker, TimeProvider time)
{
    public const int MaxAuditEntries = 100;

    /// <summary>The principal's grants with status active (as the reference, expiry not filtered), newest first, with their agents.</summary>
    public async Task<IReadOnlyList<PrincipalGrant>> GrantsAsync(PrincipalSession session, bool unexpiredOnly = false, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await GrantsAsync(db, session, unexpiredOnly ? time.UtcNowMillis() : null, cancellationToken);
    }

    /// <summary>The latest audit entries about the principal, newest first (at most <see cref="MaxAuditEntries"/>).</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(PrincipalSession session, int limit = MaxAuditEntries, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await AuditAsync(db, session, limit, cancellationToken);
    }

    /// <summary>
    /// One page of what the "My grants" page shows, read in one context: an outline of every active, unexpired grant
    /// (id, parent, agent) gives the counts and the page's roots; full rows are read only for those roots and what
    /// they delegated. A person with a thousand grants costs one narrow scan, not a thousand materialised grants.
    /// </summary>
    public async Task<PrincipalOverview> OverviewAsync(PrincipalSession session, int page, int pageSize, int activity = 20, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var developer = await db.Developers.AsNoTracking().Where(d => d.Id == session.DeveloperId).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
        var now = time.UtcNowMillis();
        var outline = await ActiveQuery(db, session, now).Select(g => new { g.Id, g.ParentGrantId, g.AgentId }).ToListAsync(cancellationToken);
        var roots = GrantForest.Roots(outline, g => g.Id, g => g.ParentGrantId).ConvertAll(g => g.Id);
        var children = outline.Where(g => g.ParentGrantId is not null).ToLookup(g => g.ParentGrantId!, g => g.Id, StringComparer.Ordinal);
        var pageCount = Math.Max(1, (roots.Count + pageSize - 1) / pageSize);
        page = Math.Clamp(page, 1, pageCount);

        var wanted = GrantForest.WithDescendants(roots.Skip((page - 1) * pageSize).Take(pageSize), children);

        var grants = wanted.Count == 0 ? [] : await WithAgentsAsync(db, ActiveQuery(db, session, now).Where(g => wanted.Contains(g.Id)), cancellationToken);
        var audit = await AuditAsync(db, session, activity, cancellationToken);
        return new PrincipalOverview(developer ?? session.DeveloperId, session.PrincipalId, grants, audit,
            outline.Count, outline.Select(g => g.AgentId).Distinct(StringComparer.Ordinal).Count(), roots.Count, page, pageCount);
    }

    /// <summary><c>DELETE /v1/principal/grants/{id}</c>: the grant must be active and the principal's own; returns how many grants were revoked.</summary>
    public async Task<Result<int>> RevokeAsync(PrincipalSession session, string grantId, CancellationToken cancellationToken = default)
    {
        if (grantId.Length > 64)
        {
            return GxError.NotFound("Grant not found");
        }

        return await writes.ExecuteAsync<Result<int>>(async ctx =>
        {
            var owned = await ctx.Db.Grants.AsNoTracking().AnyAsync(
                g => g.Id == grantId && g.DeveloperId == session.DeveloperId && g.PrincipalId == session.PrincipalId && g.Status == GrantStatus.Active, cancellationToken);
            if (!owned)
            {
                return GxError.NotFound("Grant not found");
            }

            var rows = await revoker.RevokeTreeAsync(ctx, session.DeveloperId, grantId, Actor(session), "revoked_by_principal", cancellationToken);
            return rows.Count;
        }, cancellationToken);
    }

    /// <summary>Revokes every active grant of the principal (with descendants) in one transaction; one summary entry carries the count.</summary>
    public async Task<int> RevokeAllAsync(PrincipalSession session, CancellationToken cancellationToken = default) =>
        await writes.ExecuteAsync(async ctx =>
        {
            var count = await revoker.RevokePrincipalAsync(ctx, session.DeveloperId, session.PrincipalId, Actor(session), "revoked_by_principal", cancellationToken);
            await ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(session.DeveloperId, PrincipalId: session.PrincipalId),
                AuditActions.PrincipalGrantsRevoked, Actor(session), AuditMetadata.With("revokedGrants", count).And("sessionId", session.SessionId)));
            return count;
        }, cancellationToken);

    /// <summary>Who acted, in audit entries: the person through their session.</summary>
    public static string Actor(PrincipalSession session) => "principal-session:" + session.SessionId;

    private static Task<IReadOnlyList<PrincipalGrant>> GrantsAsync(GrantexDbContext db, PrincipalSession session, DateTime? now, CancellationToken cancellationToken) =>
        WithAgentsAsync(db, ActiveQuery(db, session, now), cancellationToken);

    /// <summary>The principal's active grants (unexpired ones only when <paramref name="now"/> is given), newest first.</summary>
    private static IQueryable<Grant> ActiveQuery(GrantexDbContext db, PrincipalSession session, DateTime? now)
    {
        var query = db.Grants.AsNoTracking().Where(g => g.DeveloperId == session.DeveloperId && g.PrincipalId == session.PrincipalId && g.Status == GrantStatus.Active);
        if (now is { } at)
        {
            query = query.Where(g => g.ExpiresAt > at);
        }

        return query.OrderByDescending(g => g.IssuedAt).ThenByDescending(g => g.Id);
    }

    private static async Task<IReadOnlyList<PrincipalGrant>> WithAgentsAsync(GrantexDbContext db, IQueryable<Grant> query, CancellationToken cancellationToken)
    {
        var grants = await query.ToListAsync(cancellationToken);
        var agentIds = grants.Select(g => g.AgentId).Distinct().ToList();
        var agents = await db.Agents.AsNoTracking().Where(a => agentIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Name, a.Description }).ToDictionaryAsync(a => a.Id, StringComparer.Ordinal, cancellationToken);
        return [.. grants.Select(g => agents.TryGetValue(g.AgentId, out var a) ? new PrincipalGrant(g, a.Name, a.Description) : new PrincipalGrant(g, null, null))];
    }

    private static async Task<IReadOnlyList<AuditEntry>> AuditAsync(GrantexDbContext db, PrincipalSession session, int limit, CancellationToken cancellationToken) =>
        await db.AuditEntries.AsNoTracking()
            .Where(e => e.DeveloperId == session.DeveloperId && e.PrincipalId == session.PrincipalId)
            .OrderByDescending(e => e.Sequence)
            .Take(Math.Clamp(limit, 1, MaxAuditEntries))
            .ToListAsync(cancellationToken);
}
