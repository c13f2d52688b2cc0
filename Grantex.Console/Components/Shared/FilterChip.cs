namespace Grantex.Console.Components.Shared;

/// <summary>An active filter: the query-string key it removes, a label and the value shown.</summary>
public sealed record FilterChip(string Key, string Label, string Value);
