using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Grantex.Console.Tests.Console;

internal static class MudTestServices
{
    /// <summary>MudBlazor's services plus the clock the console's components read.</summary>
    public static IServiceCollection AddMudServicesForTests(this IServiceCollection services)
    {
        services.AddMudServices();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
