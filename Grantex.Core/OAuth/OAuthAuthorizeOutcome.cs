namespace Grantex.Core.OAuth;

/// <summary>
/// Where the authorization endpoint sends the browser: to the consent page, straight back to the client (a code, or an
/// error per RFC 6749 §4.1.2.1 — only once the client and its redirect URI are known good), or to an error page of our
/// own when the client or redirect URI is not (never to an unverified URI).
/// </summary>
public sealed record OAuthAuthorizeOutcome(string? RedirectTo, OAuthError? PageError)
{
    public static OAuthAuthorizeOutcome Redirect(string location) => new(location, null);

    public static OAuthAuthorizeOutcome Page(OAuthError error) => new(null, error);
}
