using Grantex.Core.Grants;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Principals;

/// <summary>The console's view of the directory: SCIM users and principals seen in grants, merged, searched and paged.</summary>
public sealed partial class PrincipalDirectory
{
    public const int MaxSearchLength = 256;

    /// <summary>
    /// One page of a developer's principals, ordered by principal id: every SCIM user (deleted ones included, since they
    /// still block) and every principal named in a grant, the search matching the principal id, display name or email.
    /// </summary>
    public async Task<PrincipalDirectoryPage> DirectoryAsync(string developerId, string? search, int skip, int size, DateTime now, CancellationToken cancellationToken = default)
    {
        search = string.IsNullOrWhiteSpace(search) ? null : search.Trim()[..Math.Min(search.Trim().Length, MaxSearchLength)];
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var users = db.ScimUsers.AsNoTracking().Where(u => u.DeveloperId == developerId);
        var grants = db.Grants.AsNoTracking().Where(g => g.DeveloperId == developerId);
        if (search is not null)
        {
            users = users.Where(u => u.UserName.Contains(search) || (u.DisplayName != null && u.DisplayName.Contains(search)) || u.EmailsJson.Contains(search));
            grants = grants.Where(g => g.PrincipalId.Contains(search));
        }

        var scim = await users.ToListAsync(cancellationToken);
        var seen = await grants.GroupBy(g => g.PrincipalId).Select(g => new
        {
            PrincipalId = g.Key,
            Active = g.Count(x => x.Status == GrantStatus.Active && x.ExpiresAt > now),
            Total = g.Count(),
            Last = g.Max(x => x.IssuedAt),
        }).ToListAsync(cancellationToken);

        var byPrincipal = seen.ToDictionary(s => s.PrincipalId, StringComparer.Ordinal);
        var entries = new List<PrincipalEntry>(scim.Count + seen.Count);
        foreach (var user in scim)
        {
            byPrincipal.Remove(user.UserName, out var s);
            entries.Add(new PrincipalEntry(user.UserName, PrincipalSource.Scim | (s is null ? PrincipalSource.None : PrincipalSource.Grants),
                user, s?.Active ?? 0, s?.Total ?? 0, s?.Last));
        }

        entries.AddRange(byPrincipal.Values.Select(s => new PrincipalEntry(s.PrincipalId, PrincipalSource.Grants, null, s.Active, s.Total, s.Last)));
        var ordered = entries.OrderBy(e => e.PrincipalId, StringComparer.Ordinal).ToList();
        var page = ordered.Skip(Math.Max(0, skip)).Take(size).ToList();
        return new PrincipalDirectoryPage(page, ordered.Count);
    }
}
