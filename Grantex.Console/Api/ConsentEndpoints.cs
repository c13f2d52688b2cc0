using System.Text.Json;
using Grantex.Console.Api.Contracts;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Passkeys;
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
        var group = app.MapGroup("/v1/consent").WithTags("Consent").AllowAnonymous();
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
        string id, HttpContext context, ConsentSession session, ConsentService consent, ConsentPresenceService presence,
        CancellationToken cancellationToken)
    {
        var sessionId = await session.ValidSessionIdAsync(context, id);
        if (sessionId is null)
        {
            await consent.RecordRefusalAsync(id, AuditActions.ConsentApproveRefused, "no consent session for this request in this browser", cancellationToken);
            return SessionRequired();
        }

        var body = await ReadOptionalBodyAsync(context, cancellationToken);
        PresenceProof? proof = null;
        if (body?.ChallengeId is not null)
        {
            var verified = await presence.VerifyAsync(id, sessionId, body.ChallengeId, body.Response?.GetRawText(), context, cancellationToken);
            if (!verified.IsSuccess)
            {
                return ApiError.From(verified.Error);
            }

            proof = verified.Value;
        }

        var result = await consent.DecideAsync(id, approve: true, ConsentPresenceService.Actor, proof, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        ConsentSession.End(context);
        return TypedResults.Ok(new ApproveResponse(result.Value.Code!, result.Value.Request.RedirectUri, result.Value.Request.State));
    }

    public static async Task<Results<Ok<DenyResponse>, ApiError>> DenyConsent(
        string id, HttpContext context, ConsentSession session, ConsentService consent, CancellationToken cancellationToken)
    {
        if (!await session.IsValidForAsync(context, id))
        {
            await consent.RecordRefusalAsync(id, AuditActions.ConsentDenyRefused, "no consent session for this request in this browser", cancellationToken);
            return SessionRequired();
        }

        var result = await consent.DecideAsync(id, approve: false, ConsentPresenceService.Actor, null, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        ConsentSession.End(context);
        return TypedResults.Ok(new DenyResponse(result.Value.Request.RedirectUri, result.Value.Request.State));
    }

    /// <summary>Starts the passkey step of a consent that needs presence: <c>register</c> on first use, else <c>assert</c>.</summary>
    public static async Task<Results<Ok<ConsentPasskeyResponse>, ApiError>> StartConsentPasskey(
        string id, HttpContext context, ConsentSession session, ConsentService consent, ConsentPresenceService presence,
        CancellationToken cancellationToken)
    {
        var sessionId = await session.ValidSessionIdAsync(context, id);
        if (sessionId is null)
        {
            await consent.RecordRefusalAsync(id, AuditActions.ConsentPasskeyRefused, "no consent session for this request in this browser", cancellationToken);
            return SessionRequired();
        }

        var result = await presence.BeginAsync(id, sessionId, context, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(ConsentPasskeyResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    /// <summary>Stores the passkey created on first use and answers with the assertion to run next.</summary>
    public static async Task<Results<Ok<ConsentPasskeyResponse>, ApiError>> RegisterConsentPasskey(
        string id, PasskeyResultRequest? body, HttpContext context, ConsentSession session, ConsentService consent,
        ConsentPresenceService presence, CancellationToken cancellationToken)
    {
        var sessionId = await session.ValidSessionIdAsync(context, id);
        if (sessionId is null)
        {
            await consent.RecordRefusalAsync(id, AuditActions.ConsentPasskeyRefused, "no consent session for this request in this browser", cancellationToken);
            return SessionRequired();
        }

        var result = await presence.RegisterAsync(id, sessionId, body?.ChallengeId, body?.Response?.GetRawText(), context, cancellationToken);
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

    private static ApiError SessionRequired() => new(403, ErrorCodes.ConsentSessionRequired,
        "Only the person, on the consent page in their own browser, can approve or deny this request. Open the consentUrl.");
}
