using MudBlazor;

namespace Grantex.Console.Components.Layout;

/// <summary>The console's MudBlazor theme (system fonts: the server makes no calls to font CDNs).</summary>
public static class GrantexTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00897b",
            AppbarBackground = "#283593",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
