using Grantex.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Agents;

/// <summary>Reads across developers, for the server's operators (the console); the API's list is the same query for one developer.</summary>
public sealed partial class AgentService
{
    /// <summary>Agents of one developer, or of all when <paramref name="developerId"/> is null; newest first, keyset-paginated.</summary>
    /// <param name="nameContains">Case-insensitive part of the name (a plain substring, never a pattern).</param>
    public async Task<Page<Agent>> ListAcrossAsync(
        string? developerId, AgentStatus? status, Cursor? after, int size, string? nameContains = null, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Agents.AsNoTracking().Where(a => a.Status != AgentStatus.Deleted);
        if (!string.IsNullOrWhiteSpace(nameContains))
        {
            var part = nameContains.Trim().ToLowerInvariant();
            query = query.Where(a => a.Name.ToLower().Contains(part));
        }

        if (developerId is not null)
        {
            query = query.Where(a => a.DeveloperId == developerId);
        }

        if (status is { } s)
        {
            query = query.Where(a => a.Status == s);
        }

        if (after is { } c)
        {
            var time = Cursor.ToTime(c.Key);
            query = query.Where(a => a.CreatedAt < time || (a.CreatedAt == time && string.Compare(a.Id, c.Id) < 0));
        }

        var rows = await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? new Cursor(Cursor.FromTime(rows[size - 1].CreatedAt), rows[size - 1].Id).Encode() : null;
        return new Page<Agent>(rows.Take(size).ToList(), next);
    }

    /// <summary>An agent of any developer (deleted ones included, so old grants can still name their agent).</summary>
    public async Task<Agent?> FindAsync(string agentId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);
    }

    /// <summary>Names of the given agents (any developer, deleted ones included), for lists that show grants.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetNamesAsync(IEnumerable<string> agentIds, CancellationToken cancellationToken = default)
    {
        var ids = agentIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.Name, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>How many agents (not deleted) one developer, or all, has.</summary>
    public async Task<int> CountAsync(string? developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Agents.AsNoTracking().Where(a => a.Status != AgentStatus.Deleted);
        return await (developerId is null ? query : query.Where(a => a.DeveloperId == developerId)).CountAsync(cancellationToken);
    }
}
