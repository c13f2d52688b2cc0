using System.Security.Claims;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Account;

/// <summary>
/// Reads a signed-in person from the database as they are now: the account must exist, not be locked out, and carry
/// the security stamp the session was issued with (changing roles, locking or a new password changes the stamp and so
/// ends existing sessions). Reads without tracking, through the context factory, so a long-lived circuit never sees a
/// stale cached row.
/// </summary>
public sealed class OperatorLookup(IDbContextFactory<GrantexDbContext> factory, IOptions<IdentityOptions> identity, TimeProvider time)
{
    public async Task<ConsoleOperator?> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var claims = identity.Value.ClaimsIdentity;
        var userId = principal.FindFirstValue(claims.UserIdClaimType);
        if (principal.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(userId))
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.UserName, u.DisplayName, u.SecurityStamp, u.LockoutEnd })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null || row.LockoutEnd > time.GetUtcNow()
            || !string.Equals(principal.FindFirstValue(claims.SecurityStampClaimType), row.SecurityStamp, StringComparison.Ordinal))
        {
            return null;
        }

        var roles = await db.UserRoles.AsNoTracking().Where(ur => ur.UserId == userId)
            .Join(db.Roles.AsNoTracking(), ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);
        return new ConsoleOperator(userId, row.UserName ?? userId, row.DisplayName, roles.ToHashSet(StringComparer.Ordinal));
    }
}
