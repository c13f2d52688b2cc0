using System.Security.Claims;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Account;

/// <summary>
/// Completes an OIDC sign-in: maps the provider's roles to a console role (refusing people without one), finds or
/// creates the console account linked to the provider's subject, brings its role in line with the provider, and signs
/// it in with the console cookie.
/// </summary>
public sealed class ExternalSignIn(
    SignInManager<GrantexUser> signIn,
    ConsoleAccounts accounts,
    ConsoleSignInAudit audit,
    IOptions<ConsoleOidcOptions> options)
{
    /// <summary>Null when signed in; otherwise the reason code shown on the sign-in page.</summary>
    public async Task<string?> CompleteAsync(HttpContext context)
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
        {
            return "external_failed";
        }

        try
        {
            var settings = options.Value;
            var userName = Claim(info.Principal, settings.UserNameClaim) ?? Claim(info.Principal, "email") ?? info.ProviderKey;
            var role = MapRole(info.Principal, settings);
            if (role is null)
            {
                await audit.FailedAsync(context, userName, "oidc", "no console role from the provider");
                return "no_role";
            }

            var user = await accounts.Users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
            if (user is null)
            {
                (user, var error) = await accounts.CreateAsync(await UniqueUserNameAsync(userName), Claim(info.Principal, "name"), null, role);
                if (user is null || !(await accounts.Users.AddLoginAsync(user, info)).Succeeded)
                {
                    await audit.FailedAsync(context, userName, "oidc", error ?? "the account could not be linked");
                    return "external_failed";
                }

                await audit.AccountCreatedAsync(context, user.UserName!, role, "oidc");
            }
            else if (!(await accounts.Users.GetRolesAsync(user)).SequenceEqual([role]))
            {
                await accounts.SetRoleAsync(user, role);
            }

            var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
            if (!result.Succeeded)
            {
                await audit.FailedAsync(context, user.UserName, "oidc", result.IsLockedOut ? "locked out" : "refused");
                return result.IsLockedOut ? "locked_out" : "external_failed";
            }

            await audit.SignedInAsync(context, user.UserName!, "oidc");
            return null;
        }
        finally
        {
            await context.SignOutAsync(IdentityConstants.ExternalScheme);
        }
    }

    /// <summary>The strongest console role among the provider's role values (mapped, or named directly), else the default.</summary>
    public static string? MapRole(ClaimsPrincipal principal, ConsoleOidcOptions settings)
    {
        var values = principal.FindAll(settings.RoleClaim).Select(c => c.Value).ToList();
        var mapped = values
            .Select(v => settings.RoleMap.TryGetValue(v, out var m) ? ConsoleRoles.Parse(m) : ConsoleRoles.Parse(v))
            .Where(r => r is not null)
            .ToHashSet(StringComparer.Ordinal);
        return ConsoleRoles.All.FirstOrDefault(mapped.Contains) ?? ConsoleRoles.Parse(settings.DefaultRole);
    }

    private static string? Claim(ClaimsPrincipal principal, string type) =>
        principal.FindFirstValue(type) is { Length: > 0 } value ? value : null;

    private async Task<string> UniqueUserNameAsync(string wanted)
    {
        var allowed = accounts.Users.Options.User.AllowedUserNameCharacters;
        wanted = new string([.. wanted.Select(c => string.IsNullOrEmpty(allowed) || allowed.Contains(c, StringComparison.Ordinal) ? c : '-')]);
        var name = wanted.Length > 60 ? wanted[..60] : wanted;
        for (var i = 2; await accounts.Users.FindByNameAsync(name) is not null; i++)
        {
            name = $"{(wanted.Length > 56 ? wanted[..56] : wanted)}-{i}";
        }

        return name;
    }
}
