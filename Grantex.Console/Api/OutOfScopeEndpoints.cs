using Grantex.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>
/// Reference routes this server deliberately does not offer (api.md, "Not in scope for now"): a clear 404 saying
/// so, instead of a half-built feature. A self-hosted server has no plan limits, so billing reports an unlimited plan.
/// </summary>
public static class OutOfScopeEndpoints
{
    private static readonly string[] Prefixes =
        ["/v1/budget", "/v1/commerce", "/v1/passport", "/v1/passports", "/v1/dpdp", "/v1/vault", "/v1/x402", "/v1/billing/checkout", "/v1/billing/portal"];

    public static IEndpointRouteBuilder MapOutOfScopeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/billing/subscription", Subscription).WithName(nameof(Subscription)).WithTags("Developer")
            .RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        foreach (var prefix in Prefixes)
        {
            app.Map(prefix + "/{**rest}", NotOffered).RequireAuthorization(EndpointConventions.ApiKeyPolicy).ExcludeFromDescription();
            app.Map(prefix, NotOffered).RequireAuthorization(EndpointConventions.ApiKeyPolicy).ExcludeFromDescription();
        }

        return app;
    }

    public static Ok<SubscriptionResponse> Subscription() => TypedResults.Ok(new SubscriptionResponse("enterprise", "active", null));

    public static ApiError NotOffered(HttpContext context) => ApiError.From(GxError.NotFound(
        $"{context.Request.Path} is not offered by this server: billing, budgets, commerce, passports, DPDP, vault and x402 are out of scope for Grantex .NET."));

    public sealed record SubscriptionResponse(string Plan, string Status, DateTime? CurrentPeriodEnd);
}
