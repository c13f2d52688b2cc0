namespace Grantex.Core.Common;

/// <summary>Machine codes carried in every error body (reference wire format §1.3, plus ours from api.md).</summary>
public static class ErrorCodes
{
    public const string BadRequest = "BAD_REQUEST";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string Gone = "GONE";
    public const string ConsentRequired = "CONSENT_REQUIRED";
    public const string ConsentSessionRequired = "CONSENT_SESSION_REQUIRED";
    public const string FidoRequired = "FIDO_REQUIRED";
    public const string PolicyDenied = "POLICY_DENIED";

    /// <summary>The principal was deactivated or deleted over SCIM: no new authorization, consent or exchange for them.</summary>
    public const string PrincipalDeactivated = "PRINCIPAL_DEACTIVATED";
    public const string DelegationDepthExceeded = "DELEGATION_DEPTH_EXCEEDED";
    public const string RateLimited = "RATE_LIMITED";
    public const string RateLimitExceeded = "RATE_LIMIT_EXCEEDED";
    public const string TooManyConnections = "TOO_MANY_CONNECTIONS";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";
}
