using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Grantex.Console.Components.Layout;

/// <summary>
/// MudBlazor's theme variables (the <c>&lt;style&gt;</c> a <see cref="MudThemeProvider"/> renders) for the static pages,
/// rendered once and reused: building them on every request cost more than the rest of the consent page together.
/// </summary>
public sealed class ConsentTheme(IServiceProvider services, ILoggerFactory loggers)
{
    private Task<MarkupString>? _styles;

    public Task<MarkupString> StylesAsync() => _styles ??= RenderAsync();

    private async Task<MarkupString> RenderAsync()
    {
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(
                ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(MudThemeProvider.Theme)] = GrantexTheme.Theme }));
            return output.ToHtmlString();
        });
        return new MarkupString(html);
    }
}
