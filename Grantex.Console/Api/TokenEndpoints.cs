using Grantex.Console.Api.Contracts;
using Grantex.Console.Infrastructure;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>Exchange, refresh, online verify and token revoke (wire format §3.6–3.8).</summary>
public static class TokenEndpoints
{
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Tokens").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        v1.MapPost("/token", ExchangeToken).WithName(nameof(ExchangeToken)).WithErrors(400, 401).RequireRateLimiting(GrantexRateLimiter.TokenPolicy);
        v1.MapPost("/token/refresh", RefreshToken).WithName(nameof(RefreshToken)).WithErrors(400, 401).RequireRateLimiting(GrantexRateLimiter.TokenRefreshPolicy);
        v1.MapPost("/tokens/verify", VerifyToken).WithName(nameof(VerifyToken)).WithErrors(400, 401);
        v1.MapPost("/tokens/revoke", RevokeToken).WithName(nameof(RevokeToken)).WithErrors(400, 401, 404);
        return app;
    }

    public static async Task<Results<Created<TokenResponse>, ApiError>> ExchangeToken(TokenRequest? body, HttpContext context, ExchangeService exchange, CancellationToken cancellationToken)
    {
        var result = await exchange.ExchangeAsync(context.Caller(), body?.Code, body?.AgentId, body?.CodeVerifier, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return result.IsSuccess ? TypedResults.Created((string?)null, TokenResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    public static async Task<Results<Created<TokenResponse>, ApiError>> RefreshToken(RefreshRequest? body, HttpContext context, ExchangeService exchange, CancellationToken cancellationToken)
    {
        var result = await exchange.RefreshAsync(context.Caller(), body?.RefreshToken, body?.AgentId, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return result.IsSuccess ? TypedResults.Created((string?)null, TokenResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    /// <summary>Always 200 with <c>valid</c>, except a missing token (400). Never touches the database.</summary>
    public static async Task<Results<Ok<VerifyResponse>, ApiError>> VerifyToken(TokenBody? body, HttpContext context, GrantTokenService tokens)
    {
        if (string.IsNullOrEmpty(body?.Token))
        {
            return ApiError.From(GxError.Required(("token", body?.Token)));
        }

        var result = await tokens.VerifyAsync(context.Caller(), body.Token);
        return TypedResults.Ok(result.Valid ? VerifyResponse.From(result.Grant!) : VerifyResponse.Invalid);
    }

    public static async Task<Results<NoContent, ApiError>> RevokeToken(JtiBody? body, HttpContext context, GrantTokenService tokens, CancellationToken cancellationToken)
    {
        var result = await tokens.RevokeTokenAsync(context.Caller(), body?.Jti, cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiError.From(result.Error);
    }
}
