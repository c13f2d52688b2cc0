namespace Grantex.Console.Components.Pages.Keys;

/// <summary>The services behind the signing keys page.</summary>
public static class KeysFeature
{
    public static IServiceCollection AddKeysFeature(this IServiceCollection services)
    {
        services.AddScoped<KeyAdmin>();
        return services;
    }
}
