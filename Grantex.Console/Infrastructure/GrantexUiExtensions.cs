using Grantex.Console.Components;
using Grantex.Console.Components.Enrolment;
using Grantex.Console.Components.Permissions;
using MudBlazor;
using MudBlazor.Services;

namespace Grantex.Console.Infrastructure;

public static class GrantexUiExtensions
{
    /// <summary>Blazor (static SSR for consent and sign-in, interactive server for the console) with MudBlazor.</summary>
    public static IServiceCollection AddGrantexUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);
        services.AddSingleton<Components.Layout.ConsentTheme>();
        services.AddCascadingAuthenticationState();
        return services;
    }

    public static WebApplication MapGrantexUi(this WebApplication app)
    {
        app.UseMiddleware<ConsentPageHeaders>();
        app.UsePermissionsFeature();
        app.UseEnrolmentFeature();
        // When the app runs from its build output (dotnet run, the tests), MapStaticAssets adds a "not found at runtime"
        // fallback: a GET/HEAD endpoint "{**path:file}" that matches every path. Endpoint routing picks the HTTP
        // method before it checks the ":file" constraint, so every POST/PUT/DELETE to an unknown path met that
        // GET-only endpoint and was answered 405 instead of 404. Every asset is in the build manifest anyway.
        app.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] ??= "true";
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
