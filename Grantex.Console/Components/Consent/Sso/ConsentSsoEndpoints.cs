using Grantex.Console.Infrastructure;
using Grantex.Core.Consent;
using Grantex.Core.Identity;
using Grantex.Core.Sso;
using Microsoft.AspNetCore.Authentication;

namespace Grantex.Console.Components.Consent.Sso;

/// <summary>
/// The consent page's way to the identity provider and back: <c>GET /consent/sso?req=…</c> starts the sign-in for one
/// pending request (the developer's connection for that principal's domain), and
/// <c>/sso/oidc/callback/{connectionId}</c> — the redirect URI to register at the provider — hands the answer to
/// that connection's OpenIdConnect handler.
/// </summary>
public static class ConsentSsoEndpoints
{
    public static IEndpointRouteBuilder MapConsentSsoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/consent/sso", StartConsentSignIn).WithName(nameof(StartConsentSignIn)).AllowAnonymous().ExcludeFromDescription()
            .RequireRateLimiting(GrantexRateLimiter.ConsentPolicy);
        app.MapMethods("/sso/oidc/callback/{connectionId}", [HttpMethods.Get, HttpMethods.Post], CompleteSsoSignIn).WithName(nameof(CompleteSsoSignIn))
            .AllowAnonymous().DisableAntiforgery().ExcludeFromDescription().RequireRateLimiting(GrantexRateLimiter.ConsentPolicy);
        return app;
    }

    /// <summary>Sends the person to the developer's identity provider, or back to the consent page when there is nothing to sign in for.</summary>
    public static async Task<IResult> StartConsentSignIn(
        string? req, HttpContext context, ConsentService consent, SsoService sso, ConsentSsoConnections connections, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(req) || req.Length > 64)
        {
            return Results.Redirect("/consent");
        }

        var lookup = await consent.LookupForConsentAsync(req, cancellationToken);
        // sso: the sign-in decides; passkey: it lets the person enrol their passkey on the page.
        if (lookup.State != ConsentLookupState.Pending || lookup.View!.Developer.PrincipalAuthentication == IdentityLevel.None)
        {
            return Results.Redirect(ConsentSsoEvents.ConsentUrl(req));
        }

        var request = lookup.View.Request;
        var connection = await sso.ForPrincipalAsync(request.DeveloperId, request.PrincipalId, cancellationToken, unnamed: request.HasUnnamedPrincipal);
        if (connection is null || await connections.LoadAsync(connection.Id, cancellationToken) is null)
        {
            return Results.Redirect(ConsentSsoEvents.ConsentUrl(req) + "&sso=unavailable");
        }

        var properties = new AuthenticationProperties { RedirectUri = ConsentSsoEvents.ConsentUrl(req) };
        properties.Items[ConsentSsoEvents.RequestItem] = req;
        if (!request.HasUnnamedPrincipal)
        {
            properties.Items[ConsentSsoEvents.HintItem] = request.PrincipalId;
        }

        try
        {
            await context.ChallengeAsync(ConsentSsoSchemes.SchemeFor(connection.Id), properties);
            return Results.Empty;
        }
        catch (InvalidOperationException ex)
        {
            // The provider's discovery document could not be read (unreachable, slow, not a public address): say so on the page.
            await sso.RecordSignInRefusedAsync(connection, req, ex.Message);
            return Results.Redirect(ConsentSsoEvents.ConsentUrl(req) + "&sso=unavailable");
        }
    }

    /// <summary>The provider's redirect back, handled by the connection's own OpenIdConnect handler.</summary>
    public static async Task<IResult> CompleteSsoSignIn(
        string connectionId, HttpContext context, ConsentSsoConnections connections, IAuthenticationHandlerProvider handlers, CancellationToken cancellationToken)
    {
        if (connectionId.Length > 40 || await connections.LoadAsync(connectionId, cancellationToken) is null)
        {
            return Results.NotFound();
        }

        return await handlers.GetHandlerAsync(context, ConsentSsoSchemes.SchemeFor(connectionId)) is IAuthenticationRequestHandler handler && await handler.HandleRequestAsync()
            ? Results.Empty
            : Results.NotFound();
    }
}
