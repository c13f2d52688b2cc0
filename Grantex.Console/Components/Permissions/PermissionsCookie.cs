using Grantex.Core.Principals;

namespace Grantex.Console.Components.Permissions;

/// <summary>
/// Where the person's principal session lives once the link was opened: an HttpOnly cookie scoped to
/// <c>/permissions</c>, <c>SameSite=Strict</c> (no other site can make the browser send it, so the revoke forms cannot
/// be driven from elsewhere even before antiforgery), <c>Secure</c> when the page is served over HTTPS, expiring with
/// the session. The token arrives in the link's fragment, which never reaches a server log or a Referer; the page
/// posts it here once and removes it from the address bar and history.
/// </summary>
public static class PermissionsCookie
{
    public const string Name = "gx_principal_session";
    public const string Path = "/permissions";

    public static void Set(HttpContext context, string token, DateTime expiresAt) =>
        context.Response.Cookies.Append(Name, token, Options(context, new DateTimeOffset(DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc))));

    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(Name, Options(context, null));

    /// <summary>The session the cookie carries, or null (none, expired, forged, or the principal deactivated since).</summary>
    public static Task<PrincipalSession?> ReadAsync(HttpContext context, PrincipalSessionTokens sessions) =>
        context.Request.Cookies.TryGetValue(Name, out var token) ? sessions.VerifyAsync(token, context.RequestAborted) : Task.FromResult<PrincipalSession?>(null);

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = Path,
        Expires = expires,
        IsEssential = true,
    };
}
