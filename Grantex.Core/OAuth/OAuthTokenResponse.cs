namespace Grantex.Core.OAuth;

/// <summary>A successful token response (RFC 6749 §5.1): the grant token as a Bearer access token, and its refresh token.</summary>
public sealed record OAuthTokenResponse(string AccessToken, long ExpiresIn, string RefreshToken, string Scope, string GrantId);

/// <summary>An introspection answer (RFC 7662 §2.2); only <see cref="Active"/> when inactive.</summary>
public sealed record OAuthIntrospection(
    bool Active,
    string? Scope = null,
    string? ClientId = null,
    string? Subject = null,
    string? Audience = null,
    string? Issuer = null,
    long? ExpiresAt = null,
    long? IssuedAt = null,
    string? TokenId = null,
    string? TokenType = null,
    string? GrantId = null,
    string? AgentDid = null)
{
    public static OAuthIntrospection Inactive { get; } = new(false);
}

/// <summary>How a client authenticated at the token, introspection or revocation endpoint.</summary>
/// <param name="BasicClientId">From <c>Authorization: Basic</c>, when sent.</param>
/// <param name="BasicSecret">From <c>Authorization: Basic</c>, when sent.</param>
/// <param name="HeaderMalformed">An Authorization header was sent but is not a valid Basic credential.</param>
public sealed record OAuthClientCredentials(string? BasicClientId, string? BasicSecret, bool HeaderMalformed = false);
