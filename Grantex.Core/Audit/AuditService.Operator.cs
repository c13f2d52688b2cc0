using Grantex.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Audit;

/// <summary>Reads across chains, for the server's operators (the console).</summary>
public sealed partial class AuditService
{
    /// <summary>
    /// Entries of one chain, or of every chain when <paramref name="developerId"/> is null, newest first, keyset-paginated
    /// on the store-wide sequence (the cursor's key).
    /// </summary>
    public async Task<Page<AuditEntry>> ListAcrossAsync(string? developerId, AuditFilter filter, Cursor? after, int size, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        if (developerId is not null)
        {
            query = query.Where(e => e.DeveloperId == developerId);
        }

        query = Filtered(query, filter);
        if (after is { } c)
        {
            query = query.Where(e => e.Sequence < c.Key);
        }

        var rows = await query.OrderByDescending(e => e.Sequence).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? new Cursor(rows[size - 1].Sequence, rows[size - 1].Id).Encode() : null;
        return new Page<AuditEntry>(rows.Take(size).ToList(), next);
    }

    /// <summary>An entry of any chain.</summary>
    public async Task<AuditEntry?> FindAsync(string entryId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, cancellationToken);
    }

    /// <summary>The entry at a position of a chain (to link an entry to the one before it).</summary>
    public async Task<AuditEntry?> FindAtAsync(string developerId, long chainIndex, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(e => e.DeveloperId == developerId && e.ChainIndex == chainIndex, cancellationToken);
    }

    public async Task<long> CountAsync(string? developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        return await (developerId is null ? query : query.Where(e => e.DeveloperId == developerId)).LongCountAsync(cancellationToken);
    }

    /// <summary>The keys of every chain that has entries (developer ids, and <see cref="AuditChains.Console"/>).</summary>
    public async Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var ids = await db.AuditEntries.AsNoTracking().Select(e => e.DeveloperId).Distinct().ToListAsync(cancellationToken);
        return [.. ids.Order(StringComparer.Ordinal)];
    }

    /// <summary>Appends an operator's entry to the console chain (see <see cref="AuditChains"/>).</summary>
    public Task<AuditEntry> AppendConsoleAsync(AuditAction action, AuditMetadata metadata, string actor, CancellationToken cancellationToken = default)
    {
        var draft = AuditDraft.For(new AuditSubject(AuditChains.Console), action, actor, metadata);
        return writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
    }
}
