namespace Grantex.Core.Common;

/// <summary>What kind of failure an operation reported; the HTTP layer maps it to a status in one place.</summary>
public enum GxErrorKind
{
    Validation,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    TooManyRequests,
    Unavailable,
}

/// <summary>A refusal with a stable machine code (the wire format's) and a human message.</summary>
public sealed record GxError(GxErrorKind Kind, string Code, string Message)
{
    public static GxError BadRequest(string message) => new(GxErrorKind.Validation, ErrorCodes.BadRequest, message);

    public static GxError NotFound(string message) => new(GxErrorKind.NotFound, ErrorCodes.NotFound, message);

    public static GxError Forbidden(string code, string message) => new(GxErrorKind.Forbidden, code, message);

    public static GxError Gone(string message) => new(GxErrorKind.Gone, ErrorCodes.Gone, message);
}
