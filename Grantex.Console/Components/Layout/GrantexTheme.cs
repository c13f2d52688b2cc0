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

            // Darker than MudBlazor's defaults so text on them, and them as text on white, reach WCAG AA (4.5:1).
            Success = "#2e7d32",
            Warning = "#a84f07",
            Error = "#c62828",
            Info = "#01579b",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
