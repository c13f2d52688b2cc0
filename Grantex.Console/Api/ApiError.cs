using Grantex.Core.Common;

namespace Grantex.Console.Api;

/// <summary>
/// The one place a failure becomes a wire-format error: a <see cref="GxError"/> maps to its status here, and the
/// framework's own refusals (unknown route, wrong method, body too large, unhandled exception) get the code the
/// reference derives from the status. Handlers return <see cref="From"/>; middleware writes with <see cref="WriteAsync(HttpContext, GxError)"/>
/// or <see cref="WriteStatusAsync"/>.
/// </summary>
public sealed class ApiError : IResult
{
    private ApiError(int status, GxError error)
    {
        Status = status;
        Error = error;
    }

    public int Status { get; }

    public GxError Error { get; }

    public string Code => Error.Code;

    public string Message => Error.Message;

    public static ApiError From(GxError error) => new(StatusFor(error.Kind), error);

    public static int StatusFor(GxErrorKind kind) => kind switch
    {
        GxErrorKind.Validation => StatusCodes.Status400BadRequest,
        GxErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        GxErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        GxErrorKind.NotFound => StatusCodes.Status404NotFound,
        GxErrorKind.Conflict => StatusCodes.Status409Conflict,
        GxErrorKind.Gone => StatusCodes.Status410Gone,
        GxErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        GxErrorKind.LimitExceeded => StatusCodes.Status402PaymentRequired,
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

    public Task ExecuteAsync(HttpContext httpContext) => WriteBodyAsync(httpContext, Status, Error.Code, Error.Message, Error.Fields);

    /// <summary>Writes <paramref name="error"/> as the response (middleware and handlers outside endpoints).</summary>
    public static Task WriteAsync(HttpContext context, GxError error) => From(error).ExecuteAsync(context);

    /// <summary>A refusal the framework decided by status alone (404, 405, 413, 415, 500…): the code follows the status.</summary>
    public static Task WriteStatusAsync(HttpContext context, int status, string message) => WriteBodyAsync(context, status, CodeFor(status), message, []);

    private static Task WriteBodyAsync(HttpContext context, int status, string code, string message, IReadOnlyList<string> fields)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new ErrorBody(message, code, context.RequestId(), fields.Count > 0 ? fields : null));
    }
}
