using System.Security.Claims;
using Grantex.Core.Audit;
using Grantex.Core.Consent;
using Grantex.Core.Identity;
using Grantex.Core.Sso;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Consent.Sso;

/// <summary>
/// What happens around the OpenIdConnect handler's own checks. Before: the principal is offered as login hint. After
/// a valid ID token: the person's mapped claim is compared with the request's principal (and the email domain with
/// the connection's domains), the result kept in <see cref="ConsentSsoCookie"/> for that request only, audited, and
/// the person sent back to the consent page — where a mismatch reads "You are signed in as bob@…; this request is for
/// alice@…". A sign-in started by <c>/sso/login</c> (no request) answers with who signed in. A failed round trip
/// (state, nonce, issuer, audience, signature, the provider's error) is audited and ends on a page, not an exception.
/// </summary>
public sealed class ConsentSsoEvents(
    ConsentSsoCookie cookie, ConsentSsoConnections connections, ConsentService consent, SsoService sso, TimeProvider time, IOptions<SsoOptions> options)
    : OpenIdConnectEvents
{
    public const string RequestItem = "gx.req";
    public const string HintItem = "gx.hint";

    public override Task RedirectToIdentityProvider(RedirectContext context)
    {
        if (context.Properties.Items.TryGetValue(HintItem, out var hint) && !string.IsNullOrEmpty(hint))
        {
            context.ProtocolMessage.LoginHint = hint;
        }

        return Task.CompletedTask;
    }

    public override async Task TicketReceived(TicketReceivedContext context)
    {
        context.HandleResponse();
        var (connection, _) = connections.Get(ConsentSsoSchemes.ConnectionOf(context.Scheme.Name)!);
        var principal = context.Principal ?? new ClaimsPrincipal();
        var subject = Claim(principal, "sub") ?? "";
        var issuer = Claim(principal, "iss") ?? principal.FindFirst("sub")?.Issuer ?? "";
        var email = Claim(principal, "email");
        var mapped = Claim(principal, connection.PrincipalClaim);
        var amr = principal.FindAll("amr").Select(c => c.Value).ToList();
        var requestId = context.Properties?.Items.TryGetValue(RequestItem, out var r) == true ? r : null;
        if (requestId is null)
        {
            // Started by GET /sso/login: say who signed in (the reference's callback result, without a session).
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(new
            {
                sub = subject, email, name = Claim(principal, "name"), issuer, principalId = mapped, developerId = connection.DeveloperId, connectionId = connection.Id,
            });
            return;
        }

        var lookup = await consent.LookupForConsentAsync(requestId);
        if (lookup.View is { } view)
        {
            var request = view.Request;
            var refusal = request.DeveloperId != connection.DeveloperId ? "the identity provider belongs to another developer"
                : request.HasUnnamedPrincipal && string.IsNullOrWhiteSpace(mapped) ? $"the identity provider sent no {connection.PrincipalClaim} claim to name you by"
                : !request.HasUnnamedPrincipal && !PrincipalClaim.Matches(connection.PrincipalClaim, mapped, request.PrincipalId) ? $"signed in as {mapped ?? subject}, but the request is for {request.PrincipalId}"
                : !PrincipalClaim.DomainAllowed(connection.Domains, email) ? $"the email {email ?? "(none)"} is not in an allowed domain"
                : null;
            var signIn = new ConsentSsoSignIn(request.Id, connection.Id, issuer, subject, connection.PrincipalClaim, mapped, email, Claim(principal, "name"),
                time.GetUtcNow().UtcDateTime, amr, refusal);
            cookie.Write(context.HttpContext, signIn, options.Value.SignInLifetime);
            await consent.RecordSignInAsync(request.Id, refusal is null ? AuditActions.ConsentSsoSignedIn : AuditActions.ConsentIdentityRefused,
                signIn.ToProof(), refusal);
        }

        context.Response.Redirect(ConsentUrl(requestId));
    }

    public override async Task RemoteFailure(RemoteFailureContext context)
    {
        context.HandleResponse();
        var requestId = context.Properties?.Items.TryGetValue(RequestItem, out var r) == true ? r : null;
        var reason = context.Failure?.Message ?? "the sign-in failed";
        if (ConsentSsoSchemes.ConnectionOf(context.Scheme.Name) is { } connectionId && await connections.LoadAsync(connectionId) is { } connection)
        {
            await sso.RecordSignInRefusedAsync(connection, requestId, reason);
        }

        if (requestId is not null)
        {
            context.Response.Redirect(ConsentUrl(requestId) + "&sso=failed");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("The sign-in with the identity provider could not be completed (it may have been replayed, expired or tampered with). Nothing was decided. Go back to the app and open its link again.");
    }

    public static string ConsentUrl(string requestId) => "/consent?req=" + Uri.EscapeDataString(requestId);

    private static string? Claim(ClaimsPrincipal principal, string type) => principal.FindFirst(type)?.Value is { Length: > 0 } v ? v : null;
}
