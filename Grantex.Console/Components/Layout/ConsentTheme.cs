using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Grantex.Console.Components.Layout;

/// <summary>
/// MudBlazor's theme variables (the <c>&lt;style&gt;</c> a <see cref="MudThemeProvider"/> renders) for the static pages,
/// rendered once and reused: building them on every request cost more than the rest of the consent page together.
/// <see cref="DarkStylesAsync"/> is the dark palette under <c>@media (prefers-color-scheme: dark)</c>, which every page
/// carries in its head, so the static pages and the console's first paint follow the system setting without script.
/// </summary>
public sealed partial class ConsentTheme(IServiceProvider services, ILoggerFactory loggers)
{
    private Task<MarkupString>? _styles;
    private Task<MarkupString>? _dark;

    public Task<MarkupString> StylesAsync() => _styles ??= RenderAsync(dark: false);

    public Task<MarkupString> DarkStylesAsync() => _dark ??= RenderDarkAsync();

    private async Task<MarkupString> RenderDarkAsync()
    {
        var html = (await RenderAsync(dark: true)).Value;
        // Only the palette's custom properties, and ":root:root" so they win over the light ":root" block a page's
        // provider renders later in the document, whatever the order.
        var palette = StyleBlock().Matches(html).Select(m => m.Groups[1].Value).FirstOrDefault(css => css.Contains("--mud-palette-", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("MudThemeProvider rendered no palette variables.");
        var css = RootSelector().Replace(palette, ":root:root");
        return new MarkupString($"<style>@media (prefers-color-scheme: dark) {{ :root:root {{ color-scheme: dark; }} {css} }}</style>");
    }

    private async Task<MarkupString> RenderAsync(bool dark)
    {
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(
                ParameterView.FromDictionary(new Dictionary<string, object?>
                {
                    [nameof(MudThemeProvider.Theme)] = GrantexTheme.Theme,
                    [nameof(MudThemeProvider.IsDarkMode)] = dark,
                }));
            return output.ToHtmlString();
        });
        return new MarkupString(html);
    }

    [GeneratedRegex(@"<style[^>]*>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();

    [GeneratedRegex(@":root\b")]
    private static partial Regex RootSelector();
}
