using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Events;

/// <summary>Reads the durable event log: what the stream resumes from and what webhooks fan out.</summary>
public sealed class EventLog(IDbContextFactory<GrantexDbContext> factory)
{
    public const int MaxPage = 1000;

    /// <summary>One developer's events after <paramref name="afterSeq"/>, oldest first, optionally only some types.</summary>
    public async Task<IReadOnlyList<GrantexEvent>> ReadAfterAsync(
        string developerId, long afterSeq, IReadOnlyCollection<string>? types, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Events.AsNoTracking().Where(e => e.DeveloperId == developerId && e.Seq > afterSeq);
        if (types is { Count: > 0 })
        {
            query = query.Where(e => types.Contains(e.Type));
        }

        return await query.OrderBy(e => e.Seq).Take(Math.Clamp(limit, 1, MaxPage)).ToListAsync(cancellationToken);
    }

    /// <summary>Every developer's events after <paramref name="afterSeq"/>, oldest first (for background fan-out).</summary>
    public async Task<IReadOnlyList<GrantexEvent>> ReadAllAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Events.AsNoTracking().Where(e => e.Seq > afterSeq).OrderBy(e => e.Seq)
            .Take(Math.Clamp(limit, 1, MaxPage)).ToListAsync(cancellationToken);
    }

    /// <summary>The position of one of the developer's events by its id (a stream client's Last-Event-ID), or null.</summary>
    public async Task<long?> FindSeqAsync(string developerId, string eventId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Events.AsNoTracking().Where(e => e.Id == eventId && e.DeveloperId == developerId)
            .Select(e => (long?)e.Seq).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The newest position in the log (0 when empty).</summary>
    public async Task<long> LastSeqAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Events.AsNoTracking().MaxAsync(e => (long?)e.Seq, cancellationToken) ?? 0;
    }
}
