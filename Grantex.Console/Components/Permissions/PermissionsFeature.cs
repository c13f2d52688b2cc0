namespace Grantex.Console.Components.Permissions;

/// <summary>The person's own page, <c>/permissions</c> ("My grants"): static server-rendered like the consent page.</summary>
public static class PermissionsFeature
{
    public static WebApplication UsePermissionsFeature(this WebApplication app)
    {
        app.UseMiddleware<PermissionsPageHeaders>();
        return app;
    }

    public static IEndpointRouteBuilder MapPermissionsFeature(this IEndpointRouteBuilder app) => app.MapPermissionsEndpoints();
}
