namespace Grantex.Console.Infrastructure;

/// <summary>
/// Headers for the consent page (<c>/consent</c>), whatever it answers (the page, an error state, a 400 for a missing
/// antiforgery token): no framing (<c>frame-ancestors 'none'</c> and <c>X-Frame-Options: DENY</c>), scripts only from
/// this origin, no referrer (the consent URL never leaks to the redirect target), never cached. The form may post only
/// to this origin, and the redirect that follows it only to the request's registered redirect URI.
/// </summary>
public sealed class ConsentPageHeaders(RequestDelegate next)
{
    /// <summary>The <c>HttpContext.Items</c> key where the page leaves the request's redirect URI (if any).</summary>
    public const string RedirectUriItem = "gx.consent.redirectUri";

    /// <summary>
    /// The <c>HttpContext.Items</c> key where the page leaves the status its state calls for. It is applied here, as
    /// the response starts, because .NET 10's component endpoint sends an empty body when a page itself sets 404
    /// (expecting a re-executed "not found" page); the consent page renders its own "not found" text instead.
    /// </summary>
    public const string StatusItem = "gx.consent.status";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Equals("/consent", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.OnStarting(() =>
            {
                if (context.Items[StatusItem] is int status && context.Response.StatusCode == StatusCodes.Status200OK)
                {
                    context.Response.StatusCode = status;
                }

                Apply(context.Response.Headers, context.Items[RedirectUriItem] as string);
                return Task.CompletedTask;
            });
        }

        return next(context);
    }

    public static string ContentSecurityPolicy(string? redirectUri)
    {
        var formAction = "'self'";
        if (redirectUri is not null && Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri))
        {
            formAction += " " + uri.GetLeftPart(UriPartial.Authority);
        }

        return "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
            + $"connect-src 'self'; form-action {formAction}; base-uri 'self'; frame-ancestors 'none'";
    }

    public static void Apply(IHeaderDictionary headers, string? redirectUri)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy(redirectUri);
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
    }
}
