using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Identity;

namespace Grantex.Console.Components.Account;

/// <summary>
/// Creating console accounts and giving them their one console role, through ASP.NET Core Identity (its own store
/// writes the Identity tables; they are not part of any audit chain, the actions on them are audited by the callers).
/// </summary>
public sealed class ConsoleAccounts(UserManager<GrantexUser> users, RoleManager<IdentityRole> roles, ChangeNotifier changes, TimeProvider time)
{
    public UserManager<GrantexUser> Users => users;

    /// <summary>Creates the three console roles if they are missing (idempotent).</summary>
    public async Task EnsureRolesAsync()
    {
        foreach (var role in ConsoleRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    /// <summary>
    /// A new account with one role. <paramref name="password"/> may be null for an account that signs in with a passkey
    /// or an external provider only; <paramref name="userId"/> fixes the id (a passkey made before the account exists).
    /// </summary>
    public async Task<(GrantexUser? User, string? Error)> CreateAsync(string? userName, string? displayName, string? password, string role, string? userId = null)
    {
        userName = userName?.Trim();
        if (string.IsNullOrEmpty(userName) || userName.Length > 64)
        {
            return (null, "Enter a user name of 1 to 64 characters.");
        }

        if (ConsoleRoles.Parse(role) is not { } consoleRole)
        {
            return (null, "Choose a role.");
        }

        displayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        if (displayName?.Length > 200)
        {
            return (null, "The display name is at most 200 characters.");
        }

        await EnsureRolesAsync();
        var user = new GrantexUser { UserName = userName, DisplayName = displayName, CreatedAt = time.GetUtcNow().UtcDateTime, LockoutEnabled = true };
        if (userId is not null)
        {
            user.Id = userId;
        }

        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (null, Describe(created));
        }

        var added = await users.AddToRoleAsync(user, consoleRole);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return (null, Describe(added));
        }

        return (user, null);
    }

    /// <summary>Replaces the account's console roles with <paramref name="role"/> (null: none) and ends its other sessions.</summary>
    public async Task<string?> SetRoleAsync(GrantexUser user, string? role)
    {
        await EnsureRolesAsync();
        var current = await users.GetRolesAsync(user);
        var remove = current.Where(r => ConsoleRoles.All.Contains(r) && r != role).ToList();
        if (remove.Count > 0 && !(await users.RemoveFromRolesAsync(user, remove)).Succeeded)
        {
            return "The role could not be changed.";
        }

        if (role is not null && !current.Contains(role) && !(await users.AddToRoleAsync(user, role)).Succeeded)
        {
            return "The role could not be changed.";
        }

        await EndSessionsAsync(user);
        return null;
    }

    /// <summary>
    /// Ends every session of the account: a new security stamp makes the cookie check refuse every cookie issued
    /// before (<see cref="SessionValidation"/>), and open circuits are told at once (<see cref="OperatorRevalidation"/>).
    /// A caller that keeps the person signed in here re-issues their own cookie afterwards (<c>RefreshSignInAsync</c>).
    /// </summary>
    public async Task EndSessionsAsync(GrantexUser user)
    {
        await users.UpdateSecurityStampAsync(user);
        AnnounceSessionsEnded(user);
    }

    /// <summary>Tells open circuits to re-check this account now (after its stamp changed).</summary>
    public void AnnounceSessionsEnded(GrantexUser user) => changes.Publish(ChangeKind.UsersChanged, "", user.Id);

    public static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
