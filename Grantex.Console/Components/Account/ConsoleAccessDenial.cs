using System.Security.Claims;
using Grantex.Core.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Grantex.Console.Components.Account;

/// <summary>
/// A signed-in person opened a console page their role does not allow: <c>console.access_denied</c> in the console
/// chain, with the page and the role. Recorded where the refusal happens — the cookie handler's redirect to
/// "Not available for your role" for a page requested from the server, and <see cref="Shared.AccessDenied"/> for a page
/// reached by navigating inside the running console.
/// </summary>
public static class ConsoleAccessDenial
{
    public static async Task RecordAsync(AuditService audit, OperatorLookup lookup, ClaimsPrincipal principal, string page, CancellationToken cancellationToken = default)
    {
        var user = await lookup.ResolveAsync(principal, cancellationToken);
        var metadata = AuditMetadata
            .With("reason", user is null ? "not signed in" : "role " + user.RoleName)
            .AndBounded("page", page, 256);
        await audit.AppendConsoleAsync(AuditActions.ConsoleAccessDenied, metadata, "console:" + (user?.UserName ?? principal.Identity?.Name ?? "anonymous"), cancellationToken);
    }

    /// <summary>Wraps the cookie handler's access-denied redirect: record, then redirect as before.</summary>
    public static Func<RedirectContext<CookieAuthenticationOptions>, Task> AuditedRedirect(Func<RedirectContext<CookieAuthenticationOptions>, Task> redirect) =>
        async context =>
        {
            var services = context.HttpContext.RequestServices;
            await RecordAsync(services.GetRequiredService<AuditService>(), services.GetRequiredService<OperatorLookup>(), context.HttpContext.User,
                context.Request.Path.Value ?? "/", context.HttpContext.RequestAborted);
            await redirect(context);
        };
}
