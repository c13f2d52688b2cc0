namespace Grantex.Core.Grants;

/// <summary>
/// One row per scope of a grant, with the grant's developer and issue time: the index the grant lists' scope filter
/// reads, newest first, instead of opening every grant's scope array. The database fills it when a grant is inserted
/// (a trigger, see the GrantScopes migration), whatever writes the grant; a grant's scopes never change afterwards.
/// </summary>
public sealed class GrantScope
{
    public required string GrantId { get; init; }

    public required string Scope { get; init; }

    public required string DeveloperId { get; init; }

    public DateTime IssuedAt { get; init; }
}
