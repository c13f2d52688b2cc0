namespace Grantex.Console.Components.Account;

/// <summary>
/// On a database without console accounts every console URL leads to the first-administrator page (which itself
/// answers only requests from the server). The API and the consent page are not affected.
/// </summary>
public sealed class FirstRunGate(RequestDelegate next, FirstRunState state)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (ConsolePaths.IsConsole(path) && !path.StartsWithSegments(ConsolePaths.Setup, StringComparison.OrdinalIgnoreCase)
            && !await state.HasUsersAsync(context.RequestAborted))
        {
            if (path.StartsWithSegments("/_blazor"))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            context.Response.Redirect(ConsolePaths.Setup);
            return;
        }

        await next(context);
    }
}
