using MudBlazor;

namespace Grantex.Console.Components.Layout;

/// <summary>
/// The console's MudBlazor theme (system fonts: the server makes no calls to font CDNs), light and dark. Which one shows
/// follows the system setting: the console's <see cref="MudThemeProvider"/> watches it, and every page (the static ones
/// too) carries the dark palette under <c>@media (prefers-color-scheme: dark)</c> (<see cref="ConsentTheme"/>).
/// Both palettes keep text and controls at WCAG AA (4.5:1) on their backgrounds.
/// </summary>
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
        // Light tints on dark grey: coloured text and outlines reach 4.5:1 on the surfaces, and filled buttons take dark text.
        PaletteDark = new PaletteDark
        {
            Primary = "#9fa8da",
            PrimaryContrastText = "#14151c",
            Secondary = "#80cbc4",
            SecondaryContrastText = "#14151c",
            Tertiary = "#ce93d8",
            TertiaryContrastText = "#14151c",
            Success = "#81c784",
            SuccessContrastText = "#14151c",
            Warning = "#ffb74d",
            WarningContrastText = "#14151c",
            Error = "#ef9a9a",
            ErrorContrastText = "#14151c",
            Info = "#81d4fa",
            InfoContrastText = "#14151c",
            Dark = "#0e0f14",
            Black = "#14151c",
            Background = "#17181f",
            BackgroundGray = "#1d1e26",
            Surface = "#22232c",
            AppbarBackground = "#1f2237",
            AppbarText = "#ffffffde",
            DrawerBackground = "#1c1d25",
            DrawerText = "#ffffffde",
            DrawerIcon = "#ffffffb3",
            TextPrimary = "#ffffffde",
            TextSecondary = "#ffffffb3",
            TextDisabled = "#ffffff80",
            ActionDefault = "#ffffffb3",
            ActionDisabled = "#ffffff61",
            LinesDefault = "#ffffff26",
            LinesInputs = "#ffffff73",
            TableLines = "#ffffff26",
            Divider = "#ffffff26",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
