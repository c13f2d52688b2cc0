using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Grantex.Core.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Grants;

/// <summary>Reads across developers and wide revocations, for the server's operators (the console).</summary>
public sealed partial class GrantService
{
    /// <summary>
    /// The grant list of one developer, or of every developer when <paramref name="developerId"/> is null (an agent
    /// filter then narrows to that agent's developer, so the per-developer indexes serve it).
    /// </summary>
    public async Task<Result<Page<Grant>>> ListAcrossAsync(string? developerId, GrantFilter filter, Cursor? after, int size, CancellationToken cancellationToken = default)
    {
        if (developerId is null && filter.AgentId is not null)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            developerId = await db.Agents.AsNoTracking().Where(a => a.Id == filter.AgentId).Select(a => a.DeveloperId).FirstOrDefaultAsync(cancellationToken);
            if (developerId is null)
            {
                return new Page<Grant>([], null);
            }
        }

        return await QueryPageAsync(developerId, filter, after, size, cancellationToken);
    }

    /// <summary>A grant of any developer.</summary>
    public async Task<Grant?> FindAsync(string grantId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Grants.AsNoTracking().FirstOrDefaultAsync(g => g.Id == grantId, cancellationToken);
    }

    /// <summary>The grant tokens issued for a grant, newest first.</summary>
    public async Task<IReadOnlyList<IssuedToken>> ListTokensAsync(string grantId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.IssuedTokens.AsNoTracking().Where(t => t.GrantId == grantId).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(t => t.IssuedAt)];
    }

    /// <summary>What revoking <paramref name="target"/> would cut off now (the same recursion the revocation runs).</summary>
    public async Task<RevocationPreview> PreviewRevocationAsync(RevocationTarget target, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.UtcNowMillis();
#pragma warning disable EF1002 // The SQL is built from an allow-listed enum only; every value is a parameter.
        var ids = await db.Database.SqlQueryRaw<string>(GrantTreeSql.PreviewTree(Seed(target.Scope)), target.DeveloperId, target.Value).ToListAsync(cancellationToken);
#pragma warning restore EF1002
        var grants = await db.Grants.AsNoTracking().Where(g => ids.Contains(g.Id)).ToListAsync(cancellationToken);
        var tokens = await db.IssuedTokens.AsNoTracking().Where(t => ids.Contains(t.GrantId) && t.RevokedAt == null && t.ExpiresAt > now).ToListAsync(cancellationToken);
        var refresh = await db.RefreshTokens.AsNoTracking().CountAsync(t => ids.Contains(t.GrantId) && t.UsedAt == null && t.ExpiresAt > now, cancellationToken);
        return new RevocationPreview(
            target,
            [.. grants.OrderBy(g => g.DelegationDepth).ThenBy(g => g.IssuedAt).ThenBy(g => g.Id, StringComparer.Ordinal)],
            [.. tokens.OrderBy(t => t.ExpiresAt)],
            refresh);
    }

    /// <summary>
    /// Revokes a grant with its descendants, or every active grant of an agent or a principal with theirs, in one
    /// transaction; returns how many grants were revoked (0 when nothing was active).
    /// </summary>
    public async Task<Result<int>> RevokeAsync(RevocationTarget target, string actor, CancellationToken cancellationToken = default)
    {
        if (target.Value.Length > 256)
        {
            return GxError.NotFound("Nothing to revoke.");
        }

        if (target.Scope == RevocationScope.Grant)
        {
            return await RevokeAsync(target.DeveloperId, target.Value, actor, cancellationToken);
        }

        return await writes.ExecuteAsync<Result<int>>(async ctx => target.Scope == RevocationScope.Agent
            ? await revoker.RevokeAgentAsync(ctx, target.DeveloperId, target.Value, actor, "revoked_for_agent", cancellationToken)
            : await revoker.RevokePrincipalAsync(ctx, target.DeveloperId, target.Value, actor, "revoked_for_principal", cancellationToken),
            cancellationToken);
    }

    /// <summary>Active grants, grants revoked since 00:00 UTC and all grants, for one developer or all.</summary>
    public async Task<GrantCounts> CountAsync(string? developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.UtcNowMillis();
        var today = now.Date;
        var query = db.Grants.AsNoTracking();
        if (developerId is not null)
        {
            query = query.Where(g => g.DeveloperId == developerId);
        }

        // Across developers, active = unexpired - unexpired revoked: two index-only counts (ExpiresAt, and the revoked
        // grants' index: a partial index on SQLite, the grant_revocations table on PostgreSQL). No index carries Status
        // for every grant, so counting it directly would read each row.
        var revocations = db.IsPostgres ? db.Set<GrantRevocation>().AsNoTracking() : null;
        if (revocations is not null && developerId is not null)
        {
            revocations = revocations.Where(r => r.DeveloperId == developerId);
        }

        var active = developerId is null
            ? await query.CountAsync(g => g.ExpiresAt > now, cancellationToken)
                - (revocations is null
                    ? await query.CountAsync(g => g.Status == GrantStatus.Revoked && g.ExpiresAt > now, cancellationToken)
                    : await revocations.CountAsync(r => r.ExpiresAt > now, cancellationToken))
            : await query.CountAsync(g => g.Status == GrantStatus.Active && g.ExpiresAt > now, cancellationToken);
        var revokedToday = revocations is null
            ? await query.CountAsync(g => g.Status == GrantStatus.Revoked && g.RevokedAt >= today, cancellationToken)
            : await revocations.CountAsync(r => r.RevokedAt >= today, cancellationToken);
        var total = await query.CountAsync(cancellationToken);
        return new GrantCounts(active, revokedToday, total);
    }

    /// <summary>Grants issued and revoked per UTC day over the last <paramref name="days"/> days (today included), oldest first.</summary>
    public async Task<IReadOnlyList<DailyGrantActivity>> DailyActivityAsync(string? developerId, int days, CancellationToken cancellationToken = default)
    {
        days = Math.Clamp(days, 1, 366);
        var first = time.UtcNowMillis().Date.AddDays(1 - days);
        var from = Cursor.FromTime(first);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var issued = await DayCountsAsync(db, revoked: false, developerId, from, cancellationToken);
        var revoked = await DayCountsAsync(db, revoked: true, developerId, from, cancellationToken);
        var firstDay = from / 86_400_000;
        return [.. Enumerable.Range(0, days).Select(i => new DailyGrantActivity(
            DateOnly.FromDateTime(first.AddDays(i)),
            issued.GetValueOrDefault(firstDay + i),
            revoked.GetValueOrDefault(firstDay + i)))];
    }

    private static async Task<Dictionary<long, int>> DayCountsAsync(GrantexDbContext db, bool revoked, string? developerId, long from, CancellationToken cancellationToken)
    {
        object[] parameters = developerId is null ? [from] : [from, developerId];
#pragma warning disable EF1002 // The SQL is built from constants only; every value is a parameter.
        var rows = await db.Database.SqlQueryRaw<DayCount>(GrantTreeSql.DailyCounts(revoked, developerId is not null), parameters).ToListAsync(cancellationToken);
#pragma warning restore EF1002
        return rows.ToDictionary(r => r.Day, r => r.Count);
    }

    private static GrantTreeSql.Seed Seed(RevocationScope scope) => scope switch
    {
        RevocationScope.Grant => GrantTreeSql.Seed.Grant,
        RevocationScope.Agent => GrantTreeSql.Seed.Agent,
        _ => GrantTreeSql.Seed.Principal,
    };

    private sealed record DayCount(long Day, int Count);
}
