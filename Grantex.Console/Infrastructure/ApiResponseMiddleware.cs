using Grantex.Console.Api;
using Microsoft.AspNetCore.RateLimiting;

namespace Grantex.Console.Infrastructure;

/// <summary>
/// For the API surface (<c>/v1</c>, <c>/health</c>, <c>/.well-known</c>): security headers as the reference sends
/// them, the rate-limit headers on authenticated responses, and a wire-format error body on any error the
/// framework produced without one (unknown route 404, 405, 413, 415).
/// </summary>
public sealed class ApiResponseMiddleware(RequestDelegate next, GrantexRateLimiter limiter)
{
    /// <summary>The reference's body limit (wire format §1.1). Kestrel enforces it for streamed bodies too.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!GrantexApiExtensions.IsApi(path))
        {
            await next(context);
            return;
        }

        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = headers.ContainsKey("Referrer-Policy") ? headers["Referrer-Policy"] : "no-referrer";
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            if (!headers.ContainsKey("Cache-Control"))
            {
                headers.CacheControl = "no-store";
            }

            if (context.CallerOrNull() is not null && context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null
                && !headers.ContainsKey("x-ratelimit-limit"))
            {
                limiter.AddHeaders(context);
            }

            return Task.CompletedTask;
        });

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            // Refused from the declared length, before anything is read or buffered.
            await ApiError.WriteStatusAsync(context, StatusCodes.Status413PayloadTooLarge, "The request body is larger than 1 MiB.");
            return;
        }

        await next(context);

        if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentType is null && path.StartsWithSegments("/v1"))
        {
            var status = context.Response.StatusCode;
            var message = status switch
            {
                404 => $"Route {context.Request.Method}:{path} not found",
                405 => $"Method {context.Request.Method} is not allowed on {path}",
                413 => "The request body is larger than 1 MiB.",
                415 => "Send the body as application/json.",
                _ => "The request could not be processed.",
            };
            await ApiError.WriteStatusAsync(context, status, message);
        }
    }
}
