using Grantex.Console.Admin;
using Grantex.Console.Components;
using MudBlazor;
using MudBlazor.Services;

namespace Grantex.Console.Infrastructure;

public static class GrantexUiExtensions
{
    /// <summary>Blazor (static SSR for consent and sign-in, interactive server for the console) with MudBlazor.</summary>
    public static IServiceCollection AddGrantexUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomLeft);
        services.AddSingleton<Components.Layout.ConsentTheme>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<ComplianceAdmin>();
        return services;
    }

    public static WebApplication MapGrantexUi(this WebApplication app)
    {
        app.UseMiddleware<ConsentPageHeaders>();
        app.MapStaticAssets();
        app.MapComplianceDownloads();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
