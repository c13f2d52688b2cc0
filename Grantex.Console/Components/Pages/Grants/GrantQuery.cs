using Grantex.Core.Grants;

namespace Grantex.Console.Components.Pages.Grants;

/// <summary>One page of the grant list: developer (null: all), filters, the cursor of the page to show, the page size.</summary>
public sealed record GrantQuery(string? DeveloperId, GrantFilter Filter, string? Cursor = null, int Size = 25);
