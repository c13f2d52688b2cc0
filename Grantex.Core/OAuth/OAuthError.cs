namespace Grantex.Core.OAuth;

/// <summary>
/// An OAuth error as RFC 6749 §5.2 (token endpoint), §4.1.2.1 (authorization response), RFC 7591 §3.2.2
/// (registration) and RFC 6750 §3.1 (bearer tokens) define it: a registered code, a human description and the HTTP
/// status it is sent with. Not the Grantex error format: OAuth clients parse these.
/// </summary>
public sealed record OAuthError(string Error, string Description, int Status = 400)
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string UnsupportedResponseType = "unsupported_response_type";
    public const string InvalidScope = "invalid_scope";
    public const string InvalidTarget = "invalid_target";
    public const string AccessDenied = "access_denied";
    public const string ServerError = "server_error";
    public const string InvalidToken = "invalid_token";
    public const string InvalidRedirectUri = "invalid_redirect_uri";
    public const string InvalidClientMetadata = "invalid_client_metadata";
    public const string UnsupportedTokenType = "unsupported_token_type";

    public static OAuthError Request(string description) => new(InvalidRequest, description);

    public static OAuthError Client(string description) => new(InvalidClient, description, 401);

    public static OAuthError Grant(string description) => new(InvalidGrant, description);

    public static OAuthError Target(string description) => new(InvalidTarget, description);

    public static OAuthError Token(string description) => new(InvalidToken, description, 401);
}
