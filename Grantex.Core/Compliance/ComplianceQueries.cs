using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Grantex.Core.Policies;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Compliance;

/// <summary>The queries behind the compliance reports, over one <see cref="ReadSnapshot"/>.</summary>
internal static class ComplianceQueries
{
    /// <summary>Grants issued in the window, newest first (REF: <c>issuedAt DESC</c>).</summary>
    public static IQueryable<Grant> Grants(GrantexDbContext db, string developerId, ComplianceFilter filter, DateTime now) =>
        FilteredGrants(db, developerId, filter, now).OrderByDescending(g => g.IssuedAt).ThenByDescending(g => g.Id);

    private static IQueryable<Grant> FilteredGrants(GrantexDbContext db, string developerId, ComplianceFilter filter, DateTime now)
    {
        var query = db.Grants.AsNoTracking().Where(g => g.DeveloperId == developerId);
        if (filter.Since is { } since)
        {
            query = query.Where(g => g.IssuedAt >= since);
        }

        if (filter.Until is { } until)
        {
            query = query.Where(g => g.IssuedAt <= until);
        }

        if (filter.AgentId is not null)
        {
            query = query.Where(g => g.AgentId == filter.AgentId);
        }

        query = filter.Status switch
        {
            "active" => query.Where(g => g.Status == GrantStatus.Active && g.ExpiresAt > now),
            "revoked" => query.Where(g => g.Status == GrantStatus.Revoked),
            "expired" => query.Where(g => g.Status == GrantStatus.Active && g.ExpiresAt <= now),
            _ => query,
        };
        return query;
    }

    /// <summary>Audit entries in the window, in chain order (REF: <c>timestamp ASC, id ASC</c>, the same order here).</summary>
    public static IQueryable<AuditEntry> AuditEntries(GrantexDbContext db, string developerId, ComplianceFilter filter) =>
        AuditService.Filtered(db, developerId, new AuditFilter(AgentId: filter.AgentId, Status: filter.Status, Since: filter.Since, Until: filter.Until))
            .OrderBy(e => e.ChainIndex);

    public static IQueryable<Agent> Agents(GrantexDbContext db, string developerId) =>
        db.Agents.AsNoTracking().Where(a => a.DeveloperId == developerId).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id);

    /// <summary>The developer's policies as they stand, in the reference's list order (<c>priority DESC, createdAt ASC</c>).</summary>
    public static IQueryable<Policy> Policies(GrantexDbContext db, string developerId) =>
        db.Policies.AsNoTracking().Where(p => p.DeveloperId == developerId)
            .OrderByDescending(p => p.Priority).ThenBy(p => p.CreatedAt).ThenBy(p => p.Id);

    public static async Task<ComplianceSummary> SummaryAsync(GrantexDbContext db, string developerId, ComplianceFilter filter, DateTime now, CancellationToken cancellationToken)
    {
        var agents = await db.Agents.AsNoTracking().Where(a => a.DeveloperId == developerId)
            .GroupBy(a => a.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        int AgentCount(AgentStatus s) => agents.Where(a => a.Key == s).Sum(a => a.Count);

        var window = filter with { AgentId = null, Status = null };
        var grants = await FilteredGrants(db, developerId, window, now)
            .GroupBy(g => new { g.Status, Expired = g.ExpiresAt <= now })
            .Select(g => new { g.Key.Status, g.Key.Expired, Count = g.Count() }).ToListAsync(cancellationToken);
        var revoked = grants.Where(g => g.Status == GrantStatus.Revoked).Sum(g => g.Count);
        var expired = grants.Where(g => g.Status == GrantStatus.Active && g.Expired).Sum(g => g.Count);
        var active = grants.Where(g => g.Status == GrantStatus.Active && !g.Expired).Sum(g => g.Count);

        var audit = await AuditService.Filtered(db, developerId, new AuditFilter(Since: window.Since, Until: window.Until))
            .GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
        long AuditCount(string s) => audit.Where(a => a.Key == s).Sum(a => a.Count);

        return new ComplianceSummary(
            now,
            filter.Since,
            filter.Until,
            new AgentCounts(agents.Sum(a => a.Count), AgentCount(AgentStatus.Active), AgentCount(AgentStatus.Suspended), AgentCount(AgentStatus.Deleted)),
            new GrantCounts(active + revoked + expired, active, revoked, expired),
            new AuditCounts(audit.Sum(a => a.Count), AuditCount(AuditDraft.Success), AuditCount(AuditDraft.Failure), AuditCount(AuditDraft.Blocked)),
            new PolicyCounts(await db.Policies.AsNoTracking().CountAsync(p => p.DeveloperId == developerId, cancellationToken)),
            ComplianceSummary.SelfHostedPlan);
    }
}
