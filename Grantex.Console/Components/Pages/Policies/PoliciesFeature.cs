namespace Grantex.Console.Components.Pages.Policies;

/// <summary>The services behind the policies page.</summary>
public static class PoliciesFeature
{
    public static IServiceCollection AddPoliciesFeature(this IServiceCollection services)
    {
        services.AddScoped<PolicyAdmin>();
        return services;
    }
}
