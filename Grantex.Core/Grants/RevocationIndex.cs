using System.Collections.Concurrent;
using Grantex.Core.Agents;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Grants;

/// <summary>
/// Revoked grant ids and token ids that have not expired yet, in memory, so online verification never touches
/// the database. Loaded at start; updated by the writer after each revoking transaction commits and before its
/// caller gets an answer, so the very next verify sees it. Entries drop out once their expiry has passed (an
/// expired token fails verification anyway). Suspended agents are kept here too: while an agent is suspended, no
/// token it holds (or that was delegated from it) verifies, and reactivating it restores them unless revoked.
/// </summary>
public sealed class RevocationIndex(IDbContextFactory<GrantexDbContext> factory, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTime> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _suspendedAgents = new(StringComparer.Ordinal);

    public int Count => _grants.Count + _tokens.Count;

    public bool IsGrantRevoked(string grantId) => _grants.ContainsKey(grantId);

    public bool IsTokenRevoked(string tokenId) => _tokens.ContainsKey(tokenId);

    public bool IsAgentSuspended(string agentId) => _suspendedAgents.ContainsKey(agentId);

    /// <summary>Records an agent's status after the transaction that changed it committed.</summary>
    public void SetAgentSuspended(string agentId, bool suspended)
    {
        if (suspended)
        {
            _suspendedAgents[agentId] = true;
        }
        else
        {
            _suspendedAgents.TryRemove(agentId, out _);
        }
    }

    public void RevokeGrant(string grantId, DateTime expiresAt) => _grants[grantId] = expiresAt;

    public void RevokeToken(string tokenId, DateTime expiresAt) => _tokens[tokenId] = expiresAt;

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.UtcNowMillis();
        // PostgreSQL keeps revoked grants in their own table (GrantRevocation); SQLite in a partial index on grants.
        var revoked = db.IsPostgres
            ? db.Set<GrantRevocation>().AsNoTracking().Where(r => r.ExpiresAt > now).Select(r => new { Id = r.GrantId, r.ExpiresAt })
            : db.Grants.AsNoTracking().Where(g => g.Status == GrantStatus.Revoked && g.ExpiresAt > now).Select(g => new { g.Id, g.ExpiresAt });
        await foreach (var g in revoked.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            _grants[g.Id] = g.ExpiresAt;
        }

        await foreach (var t in db.IssuedTokens.AsNoTracking().Where(t => t.RevokedAt != null && t.ExpiresAt > now)
            .Select(t => new { t.Id, t.ExpiresAt }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            _tokens[t.Id] = t.ExpiresAt;
        }

        // Suspension can be lifted, so the set is replaced (revocations never are, so those only grow).
        var suspended = await db.Agents.AsNoTracking().Where(a => a.Status == AgentStatus.Suspended).Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var id in _suspendedAgents.Keys.Except(suspended, StringComparer.Ordinal))
        {
            _suspendedAgents.TryRemove(id, out _);
        }

        foreach (var id in suspended)
        {
            _suspendedAgents[id] = true;
        }
    }

    /// <summary>Forgets entries whose tokens have expired anyway; returns how many were dropped.</summary>
    public int Prune()
    {
        var now = time.UtcNowMillis();
        var dropped = 0;
        foreach (var (id, expiresAt) in _grants)
        {
            if (expiresAt <= now && _grants.TryRemove(id, out _))
            {
                dropped++;
            }
        }

        foreach (var (id, expiresAt) in _tokens)
        {
            if (expiresAt <= now && _tokens.TryRemove(id, out _))
            {
                dropped++;
            }
        }

        return dropped;
    }
}
