namespace Grantex.Core.Principals;

/// <summary>A page of the console's principal directory and how many principals match in all.</summary>
public sealed record PrincipalDirectoryPage(IReadOnlyList<PrincipalEntry> Items, int Total);
