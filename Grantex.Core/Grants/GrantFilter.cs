namespace Grantex.Core.Grants;

/// <summary>Filters for grant lists; every field is an exact match or a range, never a pattern.</summary>
public sealed record GrantFilter(
    string? AgentId = null,
    string? PrincipalId = null,
    string? Status = null,
    string? Scope = null,
    DateTime? IssuedFrom = null,
    DateTime? IssuedTo = null,
    string? RootGrantId = null);
