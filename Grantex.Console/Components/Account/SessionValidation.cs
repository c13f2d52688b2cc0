using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Grantex.Console.Components.Account;

/// <summary>
/// The console cookie's check on every request: the account must still exist, not be locked out and carry the
/// security stamp the session was issued with (<see cref="OperatorLookup"/>, one read without tracking). Otherwise the
/// cookie is rejected and deleted, and the person is sent to sign in. Unlike Identity's
/// <c>SecurityStampValidator</c> it never re-issues the cookie, so a valid session costs one read and no Set-Cookie.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null)
        {
            return;
        }

        var lookup = context.HttpContext.RequestServices.GetRequiredService<OperatorLookup>();
        if (await lookup.ResolveAsync(context.Principal, context.HttpContext.RequestAborted) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
