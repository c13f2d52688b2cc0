namespace Grantex.Console.Components.Pages.Audit;

/// <summary>The services behind the audit timeline and audit entry pages.</summary>
public static class AuditFeature
{
    public static IServiceCollection AddAuditFeature(this IServiceCollection services)
    {
        services.AddScoped<AuditAdmin>();
        return services;
    }
}
