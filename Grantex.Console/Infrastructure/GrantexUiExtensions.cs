using Grantex.Console.Components;
using MudBlazor.Services;

namespace Grantex.Console.Infrastructure;

public static class GrantexUiExtensions
{
    /// <summary>Blazor (static SSR for consent and sign-in, interactive server for the console) with MudBlazor.</summary>
    public static IServiceCollection AddGrantexUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddSingleton<Components.Layout.ConsentTheme>();
        services.AddCascadingAuthenticationState();
        return services;
    }

    public static WebApplication MapGrantexUi(this WebApplication app)
    {
        app.UseMiddleware<ConsentPageHeaders>();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
