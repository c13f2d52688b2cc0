using Grantex.Core.Common;

namespace Grantex.Console.Api;

/// <summary>An error response in the wire format's shape; the one place that maps a failure kind to a status.</summary>
public sealed class ApiError(int status, string code, string message) : IResult
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Message { get; } = message;

    public static ApiError From(GxError error) => new(StatusFor(error.Kind), error.Code, error.Message);

    public static int StatusFor(GxErrorKind kind) => kind switch
    {
        GxErrorKind.Validation => StatusCodes.Status400BadRequest,
        GxErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        GxErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        GxErrorKind.NotFound => StatusCodes.Status404NotFound,
        GxErrorKind.Conflict => StatusCodes.Status409Conflict,
        GxErrorKind.Gone => StatusCodes.Status410Gone,
        GxErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    /// <summary>The code the reference derives from a bare status (wire format §1.3).</summary>
    public static string CodeFor(int status) => status switch
    {
        401 => ErrorCodes.Unauthorized,
        403 => ErrorCodes.Forbidden,
        404 => ErrorCodes.NotFound,
        413 => ErrorCodes.PayloadTooLarge,
        422 => "VALIDATION_ERROR",
        429 => ErrorCodes.RateLimitExceeded,
        503 => ErrorCodes.ServiceUnavailable,
        >= 500 => ErrorCodes.InternalError,
        _ => ErrorCodes.BadRequest,
    };

    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, Status, Code, Message);

    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new ErrorBody(message, code, context.RequestId()));
    }
}
