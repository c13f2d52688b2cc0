using System.Security.Claims;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Account;

/// <summary>Identity's principal (id, name, roles, security stamp) plus the person's display name for the app bar.</summary>
public sealed class ConsoleClaimsFactory(UserManager<GrantexUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<GrantexUser, IdentityRole>(users, roles, options)
{
    public const string DisplayNameClaim = "DisplayName";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(GrantexUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
        {
            identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        }

        return identity;
    }
}
