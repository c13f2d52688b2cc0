using System.Globalization;
using Grantex.Core.Principals;
using Microsoft.AspNetCore.Mvc;

namespace Grantex.Console.Components.Permissions;

/// <summary>
/// The forms of the "My grants" page (<c>/permissions</c>): open a session from the link, revoke one grant, revoke all,
/// sign out. Each is a plain form POST with an antiforgery token (validated because the handlers bind form fields),
/// acts only for the session in the cookie, and answers with a redirect back to the page (POST-redirect-GET) that
/// carries how many grants were revoked.
/// </summary>
public static class PermissionsEndpoints
{
    public static IEndpointRouteBuilder MapPermissionsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PermissionsCookie.Path).ExcludeFromDescription();
        group.MapPost("/session", OpenSession);
        group.MapPost("/revoke", RevokeOne);
        group.MapPost("/revoke-all", RevokeAll);
        group.MapPost("/sign-out", SignOut);
        return app;
    }

    /// <summary>Trades the token from the link for the cookie; an invalid one leaves no cookie and the page says the link expired.</summary>
    public static async Task<IResult> OpenSession([FromForm(Name = "session")] string? session, HttpContext context, PrincipalSessionTokens sessions)
    {
        var verified = await sessions.VerifyAsync(session, context.RequestAborted);
        if (verified is null)
        {
            PermissionsCookie.Clear(context);
            return Results.Redirect(PermissionsCookie.Path + "?link=expired");
        }

        PermissionsCookie.Set(context, session!, verified.ExpiresAt);
        return Results.Redirect(PermissionsCookie.Path);
    }

    public static async Task<IResult> RevokeOne(
        [FromForm(Name = "grantId")] string? grantId, [FromForm(Name = "page")] int? page, HttpContext context, PrincipalSessionTokens sessions, PrincipalPortal portal)
    {
        var session = await PermissionsCookie.ReadAsync(context, sessions);
        if (session is null || string.IsNullOrEmpty(grantId))
        {
            return Results.Redirect(PermissionsCookie.Path);
        }

        var result = await portal.RevokeAsync(session, grantId, context.RequestAborted);
        // Back to the page the person was on (the page clamps a number past the end once cards have gone).
        var back = page is > 1 and <= 100_000 ? "&page=" + page.Value.ToString(CultureInfo.InvariantCulture) : "";
        return Results.Redirect(PermissionsCookie.Path + "?revoked=" + (result.IsSuccess ? result.Value : 0).ToString(CultureInfo.InvariantCulture) + back);
    }

    public static async Task<IResult> RevokeAll([FromForm(Name = "confirm")] string? confirm, HttpContext context, PrincipalSessionTokens sessions, PrincipalPortal portal)
    {
        var session = await PermissionsCookie.ReadAsync(context, sessions);
        if (session is null || confirm != "all")
        {
            return Results.Redirect(PermissionsCookie.Path);
        }

        var count = await portal.RevokeAllAsync(session, context.RequestAborted);
        return Results.Redirect(PermissionsCookie.Path + "?revoked=" + count.ToString(CultureInfo.InvariantCulture) + "&all=1");
    }

    public static IResult SignOut([FromForm(Name = "confirm")] string? confirm, HttpContext context)
    {
        PermissionsCookie.Clear(context);
        return Results.Redirect(PermissionsCookie.Path + "?signedOut=1");
    }
}
