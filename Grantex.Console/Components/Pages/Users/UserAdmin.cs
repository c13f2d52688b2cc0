using Grantex.Console.Components.Account;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Console.Components.Pages.Users;

/// <summary>
/// Console accounts and roles (administrators only). Each change runs in a fresh DI scope, so Identity's store never
/// reuses a long-lived circuit's tracked rows, and is audited on the console chain. The last administrator cannot be
/// demoted, locked or deleted, and nobody can lock or delete themselves.
/// </summary>
public sealed class UserAdmin(OperatorAccess access, IDbContextFactory<GrantexDbContext> factory, IServiceScopeFactory scopes, ChangeNotifier changes, TimeProvider time)
{
    public async Task<Result<IReadOnlyList<ConsoleAccount>>> ListAsync(CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "manage console accounts", cancellationToken: cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().ToListAsync(cancellationToken);
        var roles = await db.UserRoles.AsNoTracking().Join(db.Roles.AsNoTracking(), ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var passkeys = await db.UserPasskeys.AsNoTracking().GroupBy(p => p.UserId).Select(g => new { UserId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var logins = await db.UserLogins.AsNoTracking().Select(l => new { l.UserId, l.LoginProvider }).ToListAsync(cancellationToken);
        return Result<IReadOnlyList<ConsoleAccount>>.Ok([.. users.OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase).Select(u => new ConsoleAccount(
            u.Id,
            u.UserName ?? u.Id,
            u.DisplayName,
            ConsoleRoles.All.FirstOrDefault(r => roles.Any(x => x.UserId == u.Id && x.Name == r)),
            passkeys.FirstOrDefault(p => p.UserId == u.Id)?.Count ?? 0,
            u.PasswordHash is not null,
            [.. logins.Where(l => l.UserId == u.Id).Select(l => l.LoginProvider)],
            u.LockoutEnd > time.GetUtcNow() ? u.LockoutEnd : null,
            u.CreatedAt))]);
    }

    /// <summary>A local account with an initial password; the person adds a passkey after signing in.</summary>
    public async Task<Result<ConsoleAccount>> CreateAsync(string? userName, string? displayName, string? password, string role, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "manage console accounts", userName, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        if (string.IsNullOrEmpty(password))
        {
            return GxError.BadRequest("Set an initial password; the person can add a passkey once signed in.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ConsoleAccounts>();
        var (user, error) = await accounts.CreateAsync(userName, displayName, password, role);
        if (user is null)
        {
            return GxError.BadRequest(error!);
        }

        await access.AuditAsync(allowed.Value, AuditActions.ConsoleUserCreated, AuditMetadata.With("userName", user.UserName).And("role", role), cancellationToken);
        changes.Publish(ChangeKind.UsersChanged, "", user.Id);
        return new ConsoleAccount(user.Id, user.UserName!, user.DisplayName, role, 0, true, [], null, user.CreatedAt);
    }

    /// <summary>Gives the account exactly one console role (or none); its open sessions end.</summary>
    public Task<Result<bool>> SetRoleAsync(string userId, string? role, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, AuditActions.ConsoleRoleChanged, AuditMetadata.With("role", role), async (accounts, user, self) =>
        {
            if (role is not null && ConsoleRoles.Parse(role) is null)
            {
                return "Choose a role.";
            }

            if (role != ConsoleRoles.Administrator && await IsLastAdministratorAsync(userId, cancellationToken))
            {
                return "This is the last administrator: make someone else an administrator first.";
            }

            return await accounts.SetRoleAsync(user, role is null ? null : ConsoleRoles.Parse(role));
        }, cancellationToken);

    /// <summary>Locks the account out until unlocked; its open sessions end.</summary>
    public Task<Result<bool>> LockAsync(string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, AuditActions.ConsoleUserLocked, new AuditMetadata(), async (accounts, user, self) =>
        {
            if (self)
            {
                return "You cannot lock your own account.";
            }

            if (await IsLastAdministratorAsync(userId, cancellationToken))
            {
                return "This is the last administrator.";
            }

            await accounts.Users.SetLockoutEnabledAsync(user, true);
            await accounts.Users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            await accounts.EndSessionsAsync(user);
            return null;
        }, cancellationToken);

    public Task<Result<bool>> UnlockAsync(string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, AuditActions.ConsoleUserUnlocked, new AuditMetadata(), async (accounts, user, self) =>
        {
            await accounts.Users.SetLockoutEndDateAsync(user, null);
            await accounts.Users.ResetAccessFailedCountAsync(user);
            return null;
        }, cancellationToken);

    public Task<Result<bool>> DeleteAsync(string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, AuditActions.ConsoleUserDeleted, new AuditMetadata(), async (accounts, user, self) =>
        {
            if (self)
            {
                return "You cannot delete your own account.";
            }

            if (await IsLastAdministratorAsync(userId, cancellationToken))
            {
                return "This is the last administrator.";
            }

            var deleted = await accounts.Users.DeleteAsync(user);
            return deleted.Succeeded ? null : ConsoleAccounts.Describe(deleted);
        }, cancellationToken);

    private async Task<Result<bool>> ChangeAsync(
        string userId, AuditAction auditAction, AuditMetadata metadata,
        Func<ConsoleAccounts, GrantexUser, bool, Task<string?>> change, CancellationToken cancellationToken)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "manage console accounts", userId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        await using var scope = scopes.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ConsoleAccounts>();
        var user = await accounts.Users.FindByIdAsync(userId);
        if (user is null)
        {
            return GxError.NotFound("There is no such account.");
        }

        var error = await change(accounts, user, userId == allowed.Value.UserId);
        if (error is not null)
        {
            return GxError.BadRequest(error);
        }

        await access.AuditAsync(allowed.Value, auditAction, metadata.And("userName", user.UserName), cancellationToken);
        changes.Publish(ChangeKind.UsersChanged, "", userId);
        return true;
    }

    private async Task<bool> IsLastAdministratorAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var admins = await db.UserRoles.AsNoTracking()
            .Join(db.Roles.AsNoTracking().Where(r => r.Name == ConsoleRoles.Administrator), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
            .Join(db.Users.AsNoTracking(), id => id, u => u.Id, (_, u) => new { u.Id, u.LockoutEnd })
            .ToListAsync(cancellationToken);
        var active = admins.Where(a => a.LockoutEnd is null || a.LockoutEnd <= now).Select(a => a.Id).ToList();
        return active.Count <= 1 && active.Contains(userId);
    }
}
