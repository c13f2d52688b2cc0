using Grantex.Console.Api.Contracts;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>
/// The public consent JSON endpoints (wire format §3.5). Unlike the reference, approve and deny need the consent
/// session of the person's browser (api.md); without it: 403 <c>CONSENT_SESSION_REQUIRED</c>, audited, nothing changes.
/// </summary>
public static class ConsentEndpoints
{
    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/consent").WithTags("Consent").AllowAnonymous();
        group.MapGet("/{id}", GetConsent).WithName(nameof(GetConsent)).WithErrors(404, 410);
        group.MapPost("/{id}/approve", ApproveConsent).WithName(nameof(ApproveConsent)).WithErrors(403, 410);
        group.MapPost("/{id}/deny", DenyConsent).WithName(nameof(DenyConsent)).WithErrors(403, 404);
        return app;
    }

    public static async Task<Results<Ok<ConsentResponse>, ApiError>> GetConsent(string id, HttpContext context, AuthorizationService authorization, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        var result = await authorization.GetForConsentAsync(id, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        var v = result.Value;
        var scopes = v.Scopes;
        return TypedResults.Ok(new ConsentResponse(
            v.Request.Id, v.Agent.Name, v.Agent.Did, string.IsNullOrEmpty(v.Agent.Description) ? null : v.Agent.Description, v.Developer.Name,
            v.Request.Scopes, [.. scopes.Select(s => s.Text)], [.. scopes.Select(ScopeDescriptionResponse.From)],
            v.Request.ExpiresAt, v.Request.ExpiresAt.AddSeconds(v.Request.GrantLifetimeSeconds), "pending", v.PresenceRequired,
            v.Request.Audience, v.Request.RedirectUri));
    }

    public static async Task<Results<Ok<ApproveResponse>, ApiError>> ApproveConsent(
        string id, HttpContext context, ConsentSession session, AuthorizationService authorization, CancellationToken cancellationToken)
    {
        if (!await session.IsValidForAsync(context, id))
        {
            await authorization.RecordRefusalAsync(id, "consent.approve_refused", "no consent session for this request in this browser", cancellationToken);
            return SessionRequired();
        }

        var result = await authorization.DecideAsync(id, approve: true, "consent-page", context.PresenceProof(id), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new ApproveResponse(result.Value.Code!, result.Value.Request.RedirectUri, result.Value.Request.State))
            : ApiError.From(result.Error);
    }

    public static async Task<Results<Ok<DenyResponse>, ApiError>> DenyConsent(
        string id, HttpContext context, ConsentSession session, AuthorizationService authorization, CancellationToken cancellationToken)
    {
        if (!await session.IsValidForAsync(context, id))
        {
            await authorization.RecordRefusalAsync(id, "consent.deny_refused", "no consent session for this request in this browser", cancellationToken);
            return SessionRequired();
        }

        var result = await authorization.DecideAsync(id, approve: false, "consent-page", null, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new DenyResponse(result.Value.Request.RedirectUri, result.Value.Request.State))
            : ApiError.From(result.Error);
    }

    private static ApiError SessionRequired() => new(403, ErrorCodes.ConsentSessionRequired,
        "Only the person, on the consent page in their own browser, can approve or deny this request. Open the consentUrl.");
}
