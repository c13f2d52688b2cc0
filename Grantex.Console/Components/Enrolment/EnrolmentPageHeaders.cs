using Grantex.Console.Infrastructure;

namespace Grantex.Console.Components.Enrolment;

/// <summary>The consent page's headers for <c>/enrol</c> and its endpoints: no framing, same-origin scripts and posts, no referrer (the link's secret sat in the URL's fragment), never cached.</summary>
public sealed class EnrolmentPageHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(EnrolmentFeature.Path, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.OnStarting(() =>
            {
                ConsentPageHeaders.Apply(context.Response.Headers, null);
                return Task.CompletedTask;
            });
        }

        return next(context);
    }
}
