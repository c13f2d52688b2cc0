namespace Grantex.Console.Components.Pages.Users;

/// <summary>The services behind the console users page.</summary>
public static class UsersFeature
{
    public static IServiceCollection AddUsersFeature(this IServiceCollection services)
    {
        services.AddScoped<UserAdmin>();
        return services;
    }
}
