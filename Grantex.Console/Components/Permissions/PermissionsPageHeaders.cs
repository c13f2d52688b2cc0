using Grantex.Console.Infrastructure;

namespace Grantex.Console.Components.Permissions;

/// <summary>
/// The consent page's headers for <c>/permissions</c> and its forms: no framing, scripts and form posts to this
/// origin only, no referrer (the page's URL once carried the session token in its fragment), never cached.
/// </summary>
public sealed class PermissionsPageHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(PermissionsCookie.Path, StringComparison.OrdinalIgnoreCase))
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
