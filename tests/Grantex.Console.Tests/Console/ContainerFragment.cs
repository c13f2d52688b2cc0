using Microsoft.AspNetCore.Components;

namespace Grantex.Console.Tests.Console;

/// <summary>Renders its child content: a host for MudBlazor's providers in a test.</summary>
public sealed class ContainerFragment : ComponentBase
{
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) => builder.AddContent(0, ChildContent);
}
