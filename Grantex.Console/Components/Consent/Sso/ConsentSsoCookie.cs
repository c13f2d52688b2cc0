using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Grantex.Console.Components.Consent.Sso;

/// <summary>
/// Where the consent page keeps a person's identity-provider sign-in: an encrypted, HttpOnly, SameSite=Lax cookie
/// (Lax, because the person arrives back from the provider by a top-level navigation) bound to one authorization
/// request and short-lived. A script holding the consent URL cannot make one: only the OIDC handler, after the
/// provider signed the person in and state, nonce, issuer and audience checked out, writes it.
/// </summary>
public sealed class ConsentSsoCookie(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public const string CookieName = "gx_consent_sso";
    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector("Grantex.ConsentSso.v1").ToTimeLimitedDataProtector();

    public void Write(HttpContext context, ConsentSsoSignIn signIn, TimeSpan lifetime)
    {
        var value = _protector.Protect(JsonSerializer.Serialize(signIn), time.GetUtcNow() + lifetime);
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = lifetime,
            IsEssential = true,
        });
    }

    /// <summary>This browser's sign-in for exactly <paramref name="requestId"/>, unexpired; else null.</summary>
    public ConsentSsoSignIn? Read(HttpContext context, string requestId)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value) || value.Length > 8192)
        {
            return null;
        }

        try
        {
            var signIn = JsonSerializer.Deserialize<ConsentSsoSignIn>(_protector.Unprotect(value, out var expiration));
            return signIn is not null && expiration > time.GetUtcNow() && string.Equals(signIn.RequestId, requestId, StringComparison.Ordinal) ? signIn : null;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    public static void End(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, HttpOnly = true });
}
