using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;

namespace Grantex.Console.Api;

/// <summary>
/// The consent session (api.md): the consent page, opened in the person's browser, sets an encrypted, HttpOnly,
/// SameSite=Strict cookie bound to one authorization request. Approve and deny (page form or JSON endpoint) need that
/// cookie for the same request plus a valid antiforgery token, so the developer's own server, which knows the
/// request id but is not the person's browser, cannot approve on the person's behalf.
/// </summary>
public sealed class ConsentSession(IDataProtectionProvider dataProtection, IAntiforgery antiforgery, TimeProvider time)
{
    public const string CookieName = "gx_consent";
    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector("Grantex.ConsentSession.v1").ToTimeLimitedDataProtector();

    /// <summary>Starts (or renews) the session for <paramref name="requestId"/> in this browser.</summary>
    public void Start(HttpContext context, string requestId, TimeSpan lifetime)
    {
        var value = _protector.Protect(requestId, time.GetUtcNow() + lifetime);
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = lifetime,
        });
    }

    /// <summary>True when this browser holds the session for exactly this request and the antiforgery token is valid.</summary>
    public async Task<bool> IsValidForAsync(HttpContext context, string requestId)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return false;
        }

        try
        {
            var bound = _protector.Unprotect(value, out var expiration);
            if (!string.Equals(bound, requestId, StringComparison.Ordinal) || expiration <= time.GetUtcNow())
            {
                return false;
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }

        return await antiforgery.IsRequestValidAsync(context);
    }
}
