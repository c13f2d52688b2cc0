using Grantex.Console.Api.Contracts;
using Grantex.Console.Infrastructure;
using Grantex.Core.Consent;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary><c>POST /v1/authorize</c> and the sandbox-only decision helpers (wire format §3.4).</summary>
public static class AuthorizeEndpoints
{
    public static IEndpointRouteBuilder MapAuthorizeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/authorize").WithTags("Authorization").RequireAuthorization(EndpointConventions.ApiKeyPolicy)
            .RequireRateLimiting(GrantexRateLimiter.AuthorizePolicy);
        group.MapPost("", Authorize).WithName(nameof(Authorize)).WithErrors(400, 401, 403, 404);
        group.MapPost("/{id}/approve", SandboxApprove).WithName(nameof(SandboxApprove)).WithErrors(401, 403, 404);
        group.MapPost("/{id}/deny", SandboxDeny).WithName(nameof(SandboxDeny)).WithErrors(401, 403, 404);
        return app;
    }

    public static async Task<Results<Created<AuthorizeResponse>, ApiError>> Authorize(
        AuthorizeRequest? body, HttpContext context, AuthorizationService authorization, CancellationToken cancellationToken)
    {
        var input = new AuthorizeInput(body?.AgentId, body?.PrincipalId, body?.Scopes, body?.RedirectUri, body?.State, body?.ExpiresIn,
            body?.Audience, body?.CodeChallenge, body?.CodeChallengeMethod, body?.CodeChallengeAlias, body?.CodeChallengeMethodAlias);
        var result = await authorization.AuthorizeAsync(context.Caller(), input, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        var r = result.Value;
        context.Response.Headers.CacheControl = "no-store";
        // Sandbox takes precedence over a policy allow for the response fields (wire format §3.4).
        var policyAllowed = !r.Sandbox && r.AllowedBy is not null;
        return TypedResults.Created(r.ConsentUrl, new AuthorizeResponse(r.Request.Id, r.ConsentUrl, r.Request.ExpiresAt, r.Sandbox ? true : null, r.Code,
            policyAllowed ? true : null, policyAllowed ? "allow" : null));
    }

    public static Task<Results<Ok<SandboxDecisionResponse>, ApiError>> SandboxApprove(string id, HttpContext context, ConsentService consent, CancellationToken cancellationToken) =>
        DecideAsync(id, true, context, consent, cancellationToken);

    public static Task<Results<Ok<SandboxDecisionResponse>, ApiError>> SandboxDeny(string id, HttpContext context, ConsentService consent, CancellationToken cancellationToken) =>
        DecideAsync(id, false, context, consent, cancellationToken);

    private static async Task<Results<Ok<SandboxDecisionResponse>, ApiError>> DecideAsync(
        string id, bool approve, HttpContext context, ConsentService consent, CancellationToken cancellationToken)
    {
        var result = await consent.DecideAsDeveloperAsync(context.Caller(), id, approve, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new SandboxDecisionResponse(id, approve ? "approved" : "denied", result.Value.Code))
            : ApiError.From(result.Error);
    }
}
