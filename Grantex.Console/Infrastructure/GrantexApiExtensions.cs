using Grantex.Console.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Scalar.AspNetCore;

namespace Grantex.Console.Infrastructure;

public static class GrantexApiExtensions
{
    /// <summary>API-key authentication, rate limits, JSON conventions, error handling, OpenAPI.</summary>
    public static IServiceCollection AddGrantexApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(EndpointConventions.ApiKeyPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());

        services.Configure<RateLimitOptions>(configuration.GetSection("Grantex:RateLimits"));
        services.AddSingleton<GrantexRateLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<GrantexRateLimiter>((o, limiter) =>
            {
                o.GlobalLimiter = limiter.Limiter;
                o.OnRejected = limiter.OnRejectedAsync;
            });

        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new IsoDateTimeConverter());
            o.SerializerOptions.MaxDepth = 32;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddAntiforgery();
        services.AddSingleton<ConsentSession>();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Grantex API";
            document.Info.Description = "Authorization for AI agents: scoped, revocable, audited grants. Every /v1 error is {message, code, requestId}.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static WebApplication UseGrantexApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseMiddleware<ApiResponseMiddleware>();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapGrantexApi(this WebApplication app)
    {
        app.MapWellKnownEndpoints();
        app.MapDeveloperEndpoints();
        app.MapAgentEndpoints();
        app.MapAuthorizeEndpoints();
        app.MapConsentEndpoints();
        app.MapWebAuthnEndpoints();
        app.MapTokenEndpoints();
        app.MapGrantEndpoints();
        app.MapAuditEndpoints();
        app.MapOpenApi().DisableRateLimiting();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Grantex API reference")).DisableRateLimiting();
        return app;
    }
}
