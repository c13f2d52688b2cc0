using System.Globalization;
using Grantex.Console.Api.Contracts;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Core.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>Grants: list, get, cascade revoke, verify, delegate (wire format §3.9–3.10).</summary>
public static class GrantEndpoints
{
    public static IEndpointRouteBuilder MapGrantEndpoints(this IEndpointRouteBuilder app)
    {
        var grants = app.MapGroup("/v1/grants").WithTags("Grants").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        grants.MapGet("", ListGrants).WithName(nameof(ListGrants)).WithErrors(400, 401);
        grants.MapGet("/{id}", GetGrant).WithName(nameof(GetGrant)).WithErrors(401, 404);
        grants.MapDelete("/{id}", RevokeGrant).WithName(nameof(RevokeGrant)).WithErrors(401, 404);
        grants.MapPost("/verify", VerifyGrant).WithName(nameof(VerifyGrant)).WithErrors(400, 401);
        grants.MapPost("/delegate", DelegateGrant).WithName(nameof(DelegateGrant)).WithErrors(400, 401, 403, 404);
        return app;
    }

    public static async Task<Results<Ok<GrantListResponse>, ApiError>> ListGrants(
        string? agentId, string? principalId, string? status, string? scope, string? issuedFrom, string? issuedTo, string? cursor, int? pageSize,
        HttpContext context, GrantService grants, TimeProvider time, CancellationToken cancellationToken)
    {
        var paging = EndpointConventions.Paging(cursor, pageSize);
        if (!paging.IsSuccess)
        {
            return ApiError.From(paging.Error);
        }

        var from = EndpointConventions.ParseTime(issuedFrom, out var badFrom);
        var to = EndpointConventions.ParseTime(issuedTo, out var badTo);
        if (badFrom || badTo)
        {
            return ApiError.From(GxError.BadRequest("issuedFrom and issuedTo must be ISO-8601 times.", [.. EndpointConventions.Invalid(("issuedFrom", badFrom), ("issuedTo", badTo))]));
        }

        var filter = new GrantFilter(agentId, principalId, status, scope, from, to);
        var result = await grants.ListAsync(context.Caller().Developer.Id, filter, paging.Value.After, paging.Value.Size, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        var now = time.UtcNowMillis();
        return TypedResults.Ok(new GrantListResponse([.. result.Value.Items.Select(g => GrantResponse.From(g, now))], result.Value.NextCursor));
    }

    public static async Task<Results<Ok<GrantResponse>, ApiError>> GetGrant(string id, HttpContext context, GrantService grants, TimeProvider time, CancellationToken cancellationToken)
    {
        var grant = await grants.GetAsync(context.Caller().Developer.Id, id, cancellationToken);
        return grant is null ? ApiError.From(GxError.NotFound("Grant not found.")) : TypedResults.Ok(GrantResponse.From(grant, time.UtcNowMillis()));
    }

    /// <summary>Revokes the grant and its whole delegation tree; 204 with the count in <c>Grantex-Revoked-Grants</c>.</summary>
    public static async Task<Results<NoContent, ApiError>> RevokeGrant(string id, HttpContext context, GrantService grants, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await grants.RevokeAsync(caller.Developer.Id, id, caller.Actor, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        context.Response.Headers["Grantex-Revoked-Grants"] = result.Value.ToString(CultureInfo.InvariantCulture);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<GrantVerifyResponse>, ApiError>> VerifyGrant(TokenBody? body, HttpContext context, GrantTokenService tokens)
    {
        if (string.IsNullOrEmpty(body?.Token))
        {
            return ApiError.From(GxError.Required(("token", body?.Token)));
        }

        var result = await tokens.VerifyAsync(context.Caller(), body.Token);
        return result.Reason switch
        {
            TokenCheck.Valid => TypedResults.Ok(new GrantVerifyResponse(true, null, GrantClaimsResponse.From(result.Grant!))),
            TokenCheck.WrongDeveloper => TypedResults.Ok(new GrantVerifyResponse(false, "wrong_developer", null)),
            TokenCheck.Revoked or TokenCheck.AgentSuspended => TypedResults.Ok(new GrantVerifyResponse(false, "revoked", null)),
            TokenCheck.Expired => TypedResults.Ok(new GrantVerifyResponse(false, "expired", null)),
            _ => ApiError.From(GxError.BadRequest("Invalid token", "token")),
        };
    }

    public static async Task<Results<Created<TokenResponse>, ApiError>> DelegateGrant(DelegateRequest? body, HttpContext context, DelegationService delegation, CancellationToken cancellationToken)
    {
        var input = new DelegateInput(body?.ParentGrantToken, body?.SubAgentId, body?.Scopes, body?.ExpiresIn);
        var result = await delegation.DelegateAsync(context.Caller(), input, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return result.IsSuccess ? TypedResults.Created((string?)null, TokenResponse.From(result.Value)) : ApiError.From(result.Error);
    }
}
