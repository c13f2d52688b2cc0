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
                foreach (var policy in new[] { GrantexRateLimiter.AuthorizePolicy, GrantexRateLimiter.TokenPolicy, GrantexRateLimiter.TokenRefreshPolicy, GrantexRateLimiter.ConsentPolicy,
                    GrantexRateLimiter.PrincipalSessionPolicy })
                {
                    o.AddPolicy(policy, context => limiter.RoutePartition(policy, context));
                }
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
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Grantex API";
            document.Info.Description = "Authorization for AI agents: scoped, revocable, audited grants. Every /v1 error is {message, code, requestId}. "
                + "Authenticate with `Authorization: Bearer <API key>` (gx_live_… or gx_test_…).";
            document.Components ??= new Microsoft.OpenApi.OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["ApiKey"] = new Microsoft.OpenApi.OpenApiSecurityScheme
            {
                Type = Microsoft.OpenApi.SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A developer API key: gx_live_… or gx_test_….",
            };
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>The API surface: API-key authentication, wire-format errors and the API's response headers (SCIM answers in its own error shape).</summary>
    public static bool IsApi(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/health") || path.StartsWithSegments("/.well-known") || path.StartsWithSegments("/scim")
        || path.StartsWithSegments("/oauth");

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
        app.MapPolicyEndpoints();
        app.MapWebhookEndpoints();
        app.MapAnomalyEndpoints();
        app.MapEventStreamEndpoints();
        app.MapScimEndpoints();
        app.MapPrincipalSessionEndpoints();
        app.MapSsoEndpoints();
        app.MapOutOfScopeEndpoints();
        app.MapComplianceEndpoints();
        app.MapOAuthEndpoints();
        app.MapOpenApi().DisableRateLimiting();
        // Everything served locally: no vendor toolbar, AI agent, telemetry or web fonts calling out.
        app.MapScalarApiReference("/docs", o => o
            .WithTitle("Grantex API reference")
            .HideDeveloperTools()
            .DisableAgent()
            .DisableTelemetry()
            .DisableMcp()
            .DisableDefaultFonts()
            .AddPreferredSecuritySchemes("ApiKey")).DisableRateLimiting();
        return app;
    }
}
