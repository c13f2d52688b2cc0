using Grantex.Console.Api.Contracts;
using Grantex.Core.Keys;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Console.Api;

/// <summary><c>GET /health</c> and <c>GET /.well-known/jwks.json</c>: public, and JWKS is never rate limited.</summary>
public static class WellKnownEndpoints
{
    public static IEndpointRouteBuilder MapWellKnownEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health).WithName(nameof(Health)).WithTags("Service").DisableRateLimiting()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/.well-known/jwks.json", Jwks).WithName(nameof(Jwks)).WithTags("Service").DisableRateLimiting();
        return app;
    }

    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Health(IDbContextFactory<GrantexDbContext> factory, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            if (await db.Database.CanConnectAsync(timeout.Token))
            {
                return TypedResults.Ok(new HealthResponse("healthy", "ok"));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Reported as degraded below.
        }

        return TypedResults.Json(new HealthResponse("degraded", "error"), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public static Ok<JwksResponse> Jwks(SigningKeyStore keys, HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new JwksResponse(keys.Jwks));
    }
}
