using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Account;

/// <summary>
/// The sign-in plumbing behind the static account pages: WebAuthn options for the passkey ceremonies (the pages'
/// script fetches them, then posts the browser's answer back through the page's form), sign-out, and the OIDC
/// round trip. Every POST needs the page's antiforgery token.
/// </summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapPost("/passkey/request-options", PasskeyRequestOptions).WithName(nameof(PasskeyRequestOptions));
        account.MapPost("/passkey/creation-options", PasskeyCreationOptions).WithName(nameof(PasskeyCreationOptions)).RequireAuthorization();
        account.MapPost("/setup/passkey-options", SetupPasskeyOptions).WithName(nameof(SetupPasskeyOptions));
        account.MapPost("/logout", Logout).WithName(nameof(Logout));
        account.MapPost("/external", ExternalChallenge).WithName(nameof(ExternalChallenge));
        account.MapGet("/external/callback", ExternalCallback).WithName(nameof(ExternalCallback));
        return app;
    }

    /// <summary>Options for <c>navigator.credentials.get</c> (any of the person's discoverable passkeys).</summary>
    public static async Task<ContentHttpResult> PasskeyRequestOptions(HttpContext context, IAntiforgery antiforgery, SignInManager<GrantexUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Refused(400, "The page expired. Reload it and try again.");
        }

        return Json(await signIn.MakePasskeyRequestOptionsAsync(null));
    }

    /// <summary>Options for <c>navigator.credentials.create</c>: a new passkey for the signed-in person.</summary>
    public static async Task<ContentHttpResult> PasskeyCreationOptions(
        HttpContext context, IAntiforgery antiforgery, SignInManager<GrantexUser> signIn, UserManager<GrantexUser> users)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Refused(400, "The page expired. Reload it and try again.");
        }

        var user = await users.GetUserAsync(context.User);
        if (user is null)
        {
            return Refused(401, "Your session has ended. Sign in again.");
        }

        var entity = new PasskeyUserEntity { Id = user.Id, Name = user.UserName!, DisplayName = user.DisplayName ?? user.UserName! };
        return Json(await signIn.MakePasskeyCreationOptionsAsync(entity));
    }

    /// <summary>Options to create the first administrator's passkey, before the account exists (set-up code, empty database only).</summary>
    public static async Task<ContentHttpResult> SetupPasskeyOptions(
        HttpContext context, IAntiforgery antiforgery, SignInManager<GrantexUser> signIn, FirstRunState firstRun, SetupCode setupCode, ConsoleSignInAudit audit)
    {
        if (await firstRun.HasUsersAsync(context.RequestAborted))
        {
            return Refused(403, "An administrator exists already. Sign in instead.");
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Refused(400, "The page expired. Reload it and try again.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!setupCode.Matches(form["setupCode"]))
        {
            await audit.SetupRefusedAsync(context, "passkey options");
            return Refused(403, SetupCode.WrongCodeMessage);
        }

        var userName = form["userName"].ToString().Trim();
        if (userName.Length is 0 or > 64)
        {
            return Refused(400, "Enter a user name first.");
        }

        var displayName = form["displayName"].ToString().Trim();
        var entity = new PasskeyUserEntity { Id = Guid.NewGuid().ToString(), Name = userName, DisplayName = displayName.Length > 0 ? displayName : userName };
        return Json(await signIn.MakePasskeyCreationOptionsAsync(entity));
    }

    /// <summary>
    /// Signs out (a POST with the page's antiforgery token, so no other site can sign a person out: binding a form field
    /// is what makes the endpoint validate the token). The account's security stamp changes first, so the session ends
    /// on the server too: a copy of the cookie is refused at its next request, and the person's other sessions and open
    /// circuits end with it ("sign out everywhere").
    /// </summary>
    public static async Task<RedirectHttpResult> Logout(
        HttpContext context, SignInManager<GrantexUser> signIn, ConsoleAccounts accounts, [FromForm] string? returnUrl)
    {
        if (await accounts.Users.GetUserAsync(context.User) is { } user)
        {
            await accounts.EndSessionsAsync(user);
        }

        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(ConsolePaths.Login + "?signedOut=1");
    }

    /// <summary>Starts the OIDC round trip (a POST with the page's antiforgery token, so no other site can start it).</summary>
    public static Results<ChallengeHttpResult, NotFound> ExternalChallenge(
        [FromForm] string? returnUrl, SignInManager<GrantexUser> signIn, IOptions<ConsoleOidcOptions> options)
    {
        if (!options.Value.Enabled)
        {
            return TypedResults.NotFound();
        }

        var callback = "/account/external/callback?returnUrl=" + Uri.EscapeDataString(ConsolePaths.SafeReturnUrl(returnUrl));
        var properties = signIn.ConfigureExternalAuthenticationProperties(ConsoleOidcOptions.Scheme, callback);
        return TypedResults.Challenge(properties, [ConsoleOidcOptions.Scheme]);
    }

    public static async Task<RedirectHttpResult> ExternalCallback(HttpContext context, string? returnUrl, ExternalSignIn external)
    {
        var error = await external.CompleteAsync(context);
        return error is null
            ? TypedResults.LocalRedirect(ConsolePaths.SafeReturnUrl(returnUrl))
            : TypedResults.LocalRedirect($"{ConsolePaths.Login}?error={error}");
    }

    private static ContentHttpResult Json(string json) => TypedResults.Content(json, "application/json", statusCode: 200);

    private static ContentHttpResult Refused(int status, string message) => TypedResults.Content(message, "text/plain", statusCode: status);
}
