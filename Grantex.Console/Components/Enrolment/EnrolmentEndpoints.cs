using Grantex.Console.Api;
using Grantex.Console.Api.Contracts;
using Grantex.Console.Infrastructure;
using Grantex.Core.Passkeys;
using Grantex.Core.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Components.Enrolment;

/// <summary>
/// The enrolment page's three calls, each carrying the link's secret in the body (it never travels in a URL a server
/// logs): <c>check</c> says whose link it is, <c>options</c> starts the registration bound to the link, <c>complete</c>
/// stores the passkey as enrolled through the link and uses the link up. No cookie is involved, so there is nothing
/// for another site to forge; the consent rate limit applies per client address. A used, expired or unknown link
/// answers 410 or 404 with a message for the person.
/// </summary>
public static class EnrolmentEndpoints
{
    public static IEndpointRouteBuilder MapEnrolmentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(EnrolmentFeature.Path).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription()
            .RequireRateLimiting(GrantexRateLimiter.ConsentPolicy);
        group.MapPost("/check", CheckEnrolmentLink).WithName(nameof(CheckEnrolmentLink));
        group.MapPost("/options", StartLinkEnrolment).WithName(nameof(StartLinkEnrolment));
        group.MapPost("/complete", CompleteLinkEnrolment).WithName(nameof(CompleteLinkEnrolment));
        return app;
    }

    public static async Task<Results<Ok<EnrolmentLinkResponse>, ApiError>> CheckEnrolmentLink(EnrolmentRequest? body, PasskeyEnrolmentLinks links, CancellationToken cancellationToken)
    {
        var open = await links.OpenAsync(body?.Token, cancellationToken);
        return open.IsSuccess
            ? TypedResults.Ok(new EnrolmentLinkResponse(open.Value.Link.PrincipalId, DisplayText.ForName(open.Value.Developer.Name).Text, open.Value.Link.ExpiresAt))
            : ApiError.From(open.Error);
    }

    public static async Task<Results<Ok<PasskeyOptionsResponse>, ApiError>> StartLinkEnrolment(
        EnrolmentRequest? body, HttpContext context, PasskeyEnrolmentLinks links, CancellationToken cancellationToken)
    {
        var result = await links.BeginAsync(body?.Token, context, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(PasskeyOptionsResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    public static async Task<Results<Created<CredentialResponse>, ApiError>> CompleteLinkEnrolment(
        EnrolmentRequest? body, HttpContext context, PasskeyEnrolmentLinks links, CancellationToken cancellationToken)
    {
        var result = await links.CompleteAsync(body?.Token, body?.ChallengeId, body?.Response?.GetRawText(), context, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created((string?)null, CredentialResponse.From(result.Value))
            : ApiError.From(result.Error);
    }
}
