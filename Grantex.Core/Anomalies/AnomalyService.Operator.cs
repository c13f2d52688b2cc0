using Grantex.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Anomalies;

/// <summary>Reads across developers, for the server's operators (the console).</summary>
public sealed partial class AnomalyService
{
    /// <summary>The anomalies of one developer, or of every developer when <paramref name="developerId"/> is null.</summary>
    public async Task<(Page<Anomaly> Page, int Total)> ListAcrossAsync(string? developerId, AnomalyFilter filter, Cursor? after, int size, CancellationToken cancellationToken = default)
    {
        if (developerId is not null)
        {
            return await ListAsync(developerId, filter, after, size, cancellationToken);
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db.Anomalies.AsNoTracking(), filter);
        return (await PageAsync(query, after, size, cancellationToken), await query.CountAsync(cancellationToken));
    }

    /// <summary>The developers that have anomalies or activity worth a pass: every developer (for "run detection now" across all).</summary>
    public async Task<IReadOnlyList<string>> DeveloperIdsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Developers.AsNoTracking().Select(d => d.Id).ToListAsync(cancellationToken);
    }
}
