namespace Grantex.Console.Components.Shared;

/// <summary>Services more than one console screen uses: developer names for filters and labels, and the revocation dialogs' flow.</summary>
public static class SharedFeature
{
    public static IServiceCollection AddSharedConsoleFeature(this IServiceCollection services)
    {
        services.AddSingleton<DeveloperNames>();
        services.AddScoped<AuditNames>();
        services.AddScoped<RevocationFlow>();
        return services;
    }
}
