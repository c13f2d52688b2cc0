using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Anomalies;

/// <summary>
/// The rules over grants and authorization requests: the reference's <c>new_principal</c> and SPEC's
/// <c>unusual_scope_access</c> and <c>cascade_delegation</c> (docs/decisions/anomalies.md defines them).
/// </summary>
internal static class GrantRules
{
    /// <summary>
    /// Each (agent, principal) pair whose first grant ever was issued in the last 24 hours: one finding per pair, about
    /// that first grant (later grants of the pair in the window are not new).
    /// </summary>
    public static async Task<List<AnomalyFinding>> NewPrincipalAsync(DetectionPass pass, CancellationToken cancellationToken)
    {
        var start = pass.WindowStart(AnomalyRules.NewPrincipalWindowHours);
        var db = pass.Db;
        var firsts = await db.Grants.AsNoTracking()
            .Where(g => g.DeveloperId == pass.DeveloperId && g.IssuedAt > start && g.IssuedAt <= pass.Now)
            .Where(g => !db.Grants.Any(h => h.DeveloperId == g.DeveloperId && h.AgentId == g.AgentId && h.PrincipalId == g.PrincipalId && h.IssuedAt < g.IssuedAt))
            .Select(g => new { g.Id, g.AgentId, g.PrincipalId, g.IssuedAt })
            .ToListAsync(cancellationToken);
        return [.. firsts
            .GroupBy(g => (g.AgentId, g.PrincipalId))
            .Select(pair => pair.OrderBy(g => g.Id, StringComparer.Ordinal).First())
            .Select(g => new AnomalyFinding(
                AnomalyTypes.NewPrincipal, AnomalySeverities.Low, g.AgentId, g.PrincipalId, g.Id,
                AnomalyFinding.Text($"Agent {g.AgentId} was granted access by principal {g.PrincipalId} for the first time (grant {g.Id})."),
                new Dictionary<string, object?> { ["windowHours"] = AnomalyRules.NewPrincipalWindowHours, ["grantId"] = g.Id },
                [g.Id], g.IssuedAt))];
    }

    /// <summary>
    /// An agent granted, or asking (authorize) for, a scope it was not granted in the 30 days before — provided it had at
    /// least one grant in those 30 days (an agent's very first grant has nothing to compare with). One finding per agent,
    /// listing every new scope seen in the last 24 hours since its last acknowledgement.
    /// </summary>
    public static async Task<List<AnomalyFinding>> UnusualScopeAsync(DetectionPass pass, CancellationToken cancellationToken)
    {
        var start = pass.WindowStart(AnomalyRules.UnusualScopeWindowHours);
        var db = pass.Db;
        var granted = await db.Grants.AsNoTracking()
            .Where(g => g.DeveloperId == pass.DeveloperId && g.IssuedAt > start && g.IssuedAt <= pass.Now)
            .Select(g => new { g.AgentId, g.Scopes, At = g.IssuedAt, GrantId = (string?)g.Id })
            .ToListAsync(cancellationToken);
        var asked = await db.AuthRequests.AsNoTracking()
            .Where(r => r.DeveloperId == pass.DeveloperId && r.CreatedAt > start && r.CreatedAt <= pass.Now)
            .Select(r => new { r.AgentId, r.Scopes, At = r.CreatedAt, GrantId = (string?)null })
            .ToListAsync(cancellationToken);

        var findings = new List<AnomalyFinding>();
        foreach (var agent in granted.Concat(asked).GroupBy(e => e.AgentId, StringComparer.Ordinal))
        {
            var since = pass.Since(start, AnomalyTypes.UnusualScopeAccess, agent.Key, null, "");

            // Where each scope first shows in the window (after the last acknowledgement), and the grants that carry it.
            var firstSeen = new SortedDictionary<string, DateTime>(StringComparer.Ordinal);
            foreach (var e in agent.Where(e => e.At > since).OrderBy(e => e.At))
            {
                foreach (var scope in e.Scopes)
                {
                    firstSeen.TryAdd(scope, e.At);
                }
            }

            var novel = new List<string>();
            var evidenceAt = DateTime.MinValue;
            foreach (var (scope, at) in firstSeen)
            {
                var from = at.AddDays(-AnomalyRules.UnusualScopeLookbackDays);
                var lookback = db.Grants.AsNoTracking().Where(g => g.DeveloperId == pass.DeveloperId && g.AgentId == agent.Key && g.IssuedAt >= from && g.IssuedAt < at);
                if (await lookback.AnyAsync(cancellationToken) && !await lookback.AnyAsync(g => g.Scopes.Contains(scope), cancellationToken))
                {
                    novel.Add(scope);
                    evidenceAt = at > evidenceAt ? at : evidenceAt;
                }
            }

            if (novel.Count == 0)
            {
                continue;
            }

            // Scopes are up to 256 characters each: name at most 20 (the row's metadata and description are bounded).
            var named = novel.Take(AnomalyRules.MaxGrantIds).ToList();

            var grantIds = agent.Where(e => e.At > since && e.GrantId is not null && e.Scopes.Any(novel.Contains)).Select(e => e.GrantId!);
            findings.Add(new AnomalyFinding(
                AnomalyTypes.UnusualScopeAccess, AnomalySeverities.Medium, agent.Key, null, "",
                AnomalyFinding.Text($"Agent {agent.Key} was granted or asked for {string.Join(", ", named)}{(novel.Count > named.Count ? " and more" : "")}, which it had not been granted in the previous {AnomalyRules.UnusualScopeLookbackDays} days."),
                new Dictionary<string, object?>
                {
                    ["scopes"] = named, ["newScopeCount"] = novel.Count, ["windowHours"] = AnomalyRules.UnusualScopeWindowHours, ["lookbackDays"] = AnomalyRules.UnusualScopeLookbackDays,
                },
                AnomalyFinding.Bounded(grantIds), evidenceAt));
        }

        return findings;
    }

    /// <summary>
    /// A delegation tree that grows fast: more than 10 delegated grants added to one root's tree within the last hour
    /// (high), or a delegated grant at the configured depth limit created within the last hour (medium).
    /// </summary>
    public static async Task<List<AnomalyFinding>> CascadeAsync(DetectionPass pass, CancellationToken cancellationToken)
    {
        var start = pass.WindowStart(AnomalyRules.CascadeWindowHours);
        var db = pass.Db;
        var delegated = await db.Grants.AsNoTracking()
            .Where(g => g.DeveloperId == pass.DeveloperId && g.DelegationDepth > 0 && g.IssuedAt > start && g.IssuedAt <= pass.Now)
            .Select(g => new { g.Id, g.RootGrantId, g.DelegationDepth, g.IssuedAt })
            .ToListAsync(cancellationToken);
        var trees = delegated.GroupBy(g => g.RootGrantId, StringComparer.Ordinal).ToList();
        var rootIds = trees.Select(t => t.Key).ToList();
        var roots = await db.Grants.AsNoTracking().Where(g => rootIds.Contains(g.Id))
            .Select(g => new { g.Id, g.AgentId, g.PrincipalId }).ToDictionaryAsync(g => g.Id, StringComparer.Ordinal, cancellationToken);

        var findings = new List<AnomalyFinding>();
        foreach (var tree in trees)
        {
            if (!roots.TryGetValue(tree.Key, out var root))
            {
                continue;
            }

            var since = pass.Since(start, AnomalyTypes.CascadeDelegation, root.AgentId, root.PrincipalId, root.Id);
            var recent = tree.Where(g => g.IssuedAt > since).OrderBy(g => g.IssuedAt).ThenBy(g => g.Id, StringComparer.Ordinal).ToList();
            if (recent.Count == 0)
            {
                continue;
            }

            var maxDepth = recent.Max(g => g.DelegationDepth);
            var wide = recent.Count > AnomalyRules.CascadeWidthThreshold;
            var deep = maxDepth >= pass.MaxDelegationDepth;
            if (!wide && !deep)
            {
                continue;
            }

            var why = wide
                ? AnomalyFinding.Text($"{recent.Count} delegated grants were added to the tree of grant {root.Id} in the last hour (more than {AnomalyRules.CascadeWidthThreshold})")
                : AnomalyFinding.Text($"A delegated grant in the tree of grant {root.Id} reached depth {maxDepth}, the limit, in the last hour");
            findings.Add(new AnomalyFinding(
                AnomalyTypes.CascadeDelegation, wide ? AnomalySeverities.High : AnomalySeverities.Medium, root.AgentId, root.PrincipalId, root.Id,
                why + AnomalyFinding.Text($" (agent {root.AgentId}, principal {root.PrincipalId})."),
                new Dictionary<string, object?>
                {
                    ["rootGrantId"] = root.Id, ["delegatedGrants"] = recent.Count, ["maxDepth"] = maxDepth, ["depthLimit"] = pass.MaxDelegationDepth,
                    ["windowHours"] = AnomalyRules.CascadeWindowHours, ["threshold"] = AnomalyRules.CascadeWidthThreshold,
                },
                AnomalyFinding.Bounded(recent.Select(g => g.Id).Prepend(root.Id)), recent[^1].IssuedAt));
        }

        return findings;
    }
}
