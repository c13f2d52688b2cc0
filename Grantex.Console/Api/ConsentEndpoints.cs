using System.Text.Json;
using Grantex.Console.Api.Contracts;
using Grantex.Console.Infrastructure;
using Grantex.Console.Components.Consent;
using Grantex.Core.Audit;
using Grantex.Core.Consent;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>
/// The public consent JSON endpoints (wire format §3.5). Unlike the reference, approve, deny and the passkey steps need
/// the consent session of the person's browser (api.md): the cookie the consent page set for this request plus its
/// antiforgery token (header <c>RequestVerificationToken</c>). Without it: 403 <c>CONSENT_SESSION_REQUIRED</c>,
/// audited, nothing changes.
/// </summary>
public static class ConsentEndpoints
{
    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/consent").WithTags("Consent").AllowAnonymous().RequireRateLimiting(GrantexRateLimiter.ConsentPolicy);
        group.MapGet("/{id}", GetConsent).WithName(nameof(GetConsent)).WithErrors(404, 410);
        group.MapPost("/{id}/approve", ApproveConsent).WithName(nameof(ApproveConsent)).WithErrors(400, 403, 410);
        group.MapPost("/{id}/deny", DenyConsent).WithName(nameof(DenyConsent)).WithErrors(403, 404);
        group.MapPost("/{id}/passkey", StartConsentPasskey).WithName(nameof(StartConsentPasskey)).WithErrors(400, 403, 404, 410);
        group.MapPost("/{id}/passkey/register", RegisterConsentPasskey).WithName(nameof(RegisterConsentPasskey)).WithErrors(400, 403, 404, 409, 410);
        return app;
    }

    public static async Task<Results<Ok<ConsentResponse>, ApiError>> GetConsent(string id, HttpContext context, ConsentService consent, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        var result = await consent.GetForConsentAsync(id, cancellationToken);
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

    /// <summary>
    /// Approves in the page's session. When the developer requires presence, the body carries the passkey assertion
    /// (<c>{challengeId, response}</c>, from <c>POST /v1/consent/{id}/passkey</c>); otherwise no body is needed.
    /// </summary>
    public static async Task<Results<Ok<ApproveResponse>, ApiError>> ApproveConsent(
        string id, HttpContext context, ConsentFlow flow, CancellationToken cancellationToken)
    {
        var sessionId = await flow.RequireSessionAsync(context, id, AuditActions.ConsentApproveRefused, cancellationToken);
        if (!sessionId.IsSuccess)
        {
            return ApiError.From(sessionId.Error);
        }

        var body = await ReadOptionalBodyAsync(context, cancellationToken);
        var assertion = body?.ChallengeId is null ? null : new ConsentAssertion(body.ChallengeId, body.Response?.GetRawText());
        var result = await flow.DecideAsync(context, id, sessionId.Value, approve: true, assertion, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new ApproveResponse(result.Value.Code!, result.Value.Request.RedirectUri, result.Value.Request.State))
            : ApiError.From(result.Error);
    }

    /// <summary>Denies in the page's session. Under <c>principalAuthentication: passkey</c> the body carries the passkey assertion, as for approve.</summary>
    public static async Task<Results<Ok<DenyResponse>, ApiError>> DenyConsent(string id, HttpContext context, ConsentFlow flow, CancellationToken cancellationToken)
    {
        var sessionId = await flow.RequireSessionAsync(context, id, AuditActions.ConsentDenyRefused, cancellationToken);
        if (!sessionId.IsSuccess)
        {
            return ApiError.From(sessionId.Error);
        }

        var body = await ReadOptionalBodyAsync(context, cancellationToken);
        var assertion = body?.ChallengeId is null ? null : new ConsentAssertion(body.ChallengeId, body.Response?.GetRawText());
        var result = await flow.DecideAsync(context, id, sessionId.Value, approve: false, assertion, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(new DenyResponse(result.Value.Request.RedirectUri, result.Value.Request.State)) : ApiError.From(result.Error);
    }

    /// <summary>Starts the passkey step of a consent that needs presence: <c>register</c> on first use, else <c>assert</c>.</summary>
    public static async Task<Results<Ok<ConsentPasskeyResponse>, ApiError>> StartConsentPasskey(
        string id, HttpContext context, ConsentFlow flow, CancellationToken cancellationToken)
    {
        var result = await flow.BeginPasskeyAsync(context, id, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(ConsentPasskeyResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    /// <summary>Stores the passkey created on first use and answers with the assertion to run next.</summary>
    public static async Task<Results<Ok<ConsentPasskeyResponse>, ApiError>> RegisterConsentPasskey(
        string id, PasskeyResultRequest? body, HttpContext context, ConsentFlow flow, CancellationToken cancellationToken)
    {
        var created = body is null ? null : new ConsentAssertion(body.ChallengeId, body.Response?.GetRawText());
        var result = await flow.RegisterPasskeyAsync(context, id, created, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(ConsentPasskeyResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    private static async Task<PasskeyResultRequest?> ReadOptionalBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        // Existing clients approve with no body and no Content-Type (wire format §1.1).
        if (context.Request.ContentLength is 0 or null && !context.Request.HasJsonContentType())
        {
            return null;
        }

        try
        {
            return context.Request.HasJsonContentType() ? await context.Request.ReadFromJsonAsync<PasskeyResultRequest>(cancellationToken) : null;
        }
        catch (JsonException ex)
        {
            throw new BadHttpRequestException("The body is not valid JSON.", ex);
        }
    }
}
