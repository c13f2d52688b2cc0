using Grantex.Console.Api;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Grantex.Console.Infrastructure;

/// <summary>
/// Unhandled failures on the API become wire-format errors: unreadable bodies 400 (413 when too large), a form without a
/// valid antiforgery token 400, storage failures (disk full, I/O) 503 with nothing half-done, anything else 500 without
/// internals.
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The code follows the status (413 PAYLOAD_TOO_LARGE, 415 and other 4xx BAD_REQUEST, 503, 500 INTERNAL_ERROR).
        var (status, message) = exception switch
        {
            // A form endpoint's token check failed: the compile-time request delegates (Request Delegate Generator) read
            // the form anyway and the form feature throws InvalidOperationException; runtime-built ones throw a 400.
            _ when httpContext.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } =>
                (400, "The form's antiforgery token is missing or invalid. Reload the page and send the form again."),
            BadHttpRequestException { StatusCode: 413 } => (413, "The request body is larger than 1 MiB."),
            BadHttpRequestException { StatusCode: 415 } => (415, "Send the body as application/json."),
            BadHttpRequestException bad => (bad.StatusCode, "The request body is not valid JSON, or a field has the wrong type."),
            WriteFailedException or SqliteException or Npgsql.NpgsqlException => (503, "The server cannot store this change right now (storage unavailable). Nothing was changed; try again."),
            ClusterUnavailableException => (503, "This server cannot confirm the latest revocations right now (it lost its notification connection to the database). Try again, or ask another node."),
            _ => (500, "An unexpected error occurred"),
        };
        if (status >= 500)
        {
            LogFailure(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        await ApiError.WriteStatusAsync(httpContext, status, message);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception ex, string method, string path);
}
