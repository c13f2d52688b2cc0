using Grantex.Core.Common;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;

namespace Grantex.Console.Components.Consent;

/// <summary>
/// The consent session (api.md): the consent page, opened in the person's browser, sets an encrypted, HttpOnly,
/// SameSite=Strict cookie bound to one authorization request and carrying a random session id. Approve and deny (page
/// form or JSON endpoint) and the passkey steps need that cookie for the same request plus a valid antiforgery token,
/// so the developer's own server, which knows the request id but is not the person's browser, cannot act on the
/// person's behalf. Passkey ceremonies are bound to the session id, so they cannot move to another browser either.
/// </summary>
public sealed class ConsentSession(IDataProtectionProvider dataProtection, IAntiforgery antiforgery, TimeProvider time)
{
    public const string CookieName = "gx_consent";
    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector("Grantex.ConsentSession.v2").ToTimeLimitedDataProtector();

    /// <summary>Starts the session for <paramref name="requestId"/> in this browser (keeping its id if one is already running) and returns the session id.</summary>
    public string Start(HttpContext context, string requestId, TimeSpan lifetime)
    {
        var sessionId = SessionIdFor(context, requestId) ?? Secrets.Random(24);
        var value = _protector.Protect(requestId + " " + sessionId, time.GetUtcNow() + lifetime);
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = lifetime,
            IsEssential = true,
        });
        return sessionId;
    }

    /// <summary>The session id when this browser's cookie is for exactly this request and unexpired (antiforgery not checked).</summary>
    public string? SessionIdFor(HttpContext context, string requestId)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var payload = _protector.Unprotect(value, out var expiration);
            var space = payload.IndexOf(' ', StringComparison.Ordinal);
            return space > 0 && string.Equals(payload[..space], requestId, StringComparison.Ordinal) && expiration > time.GetUtcNow()
                ? payload[(space + 1)..]
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The session id when this browser holds the session for exactly this request and the antiforgery token is valid; else null.</summary>
    public async Task<string?> ValidSessionIdAsync(HttpContext context, string requestId) =>
        SessionIdFor(context, requestId) is { } sessionId && await antiforgery.IsRequestValidAsync(context) ? sessionId : null;

    public async Task<bool> IsValidForAsync(HttpContext context, string requestId) => await ValidSessionIdAsync(context, requestId) is not null;

    /// <summary>Ends the session once the request is decided.</summary>
    public static void End(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, HttpOnly = true });
}
