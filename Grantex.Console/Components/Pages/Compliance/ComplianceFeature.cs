using Grantex.Console.Api;

namespace Grantex.Console.Components.Pages.Compliance;

/// <summary>The Compliance page: its service, and the cookie-authenticated downloads it links to.</summary>
public static class ComplianceFeature
{
    public static IServiceCollection AddComplianceFeature(this IServiceCollection services)
    {
        services.AddScoped<ComplianceAdmin>();
        return services;
    }

    public static IEndpointRouteBuilder MapComplianceFeature(this IEndpointRouteBuilder app) => app.MapComplianceDownloads();
}
