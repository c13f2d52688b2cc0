namespace Grantex.Core.Principals;

/// <summary>A SCIM list page: the total matching, where the page starts (1-based) and its users.</summary>
public sealed record ScimPage(int TotalResults, int StartIndex, IReadOnlyList<ScimUser> Items);
