using Grantex.Core.Tokens;

namespace Grantex.Core.Grants;

/// <summary>
/// What revoking a target would cut off right now, before anything happens: every grant that would be marked
/// revoked (the target's active grants and their active descendants), the grant tokens that would stop verifying
/// (unexpired and not revoked on their own) and how many unused refresh tokens would stop working.
/// </summary>
public sealed record RevocationPreview(RevocationTarget Target, IReadOnlyList<Grant> Grants, IReadOnlyList<IssuedToken> Tokens, int RefreshTokens)
{
    /// <summary>Grants the target itself names (a revoked grant's root, an agent's or a principal's own grants).</summary>
    public IReadOnlyList<Grant> Roots => GrantForest.Roots(Grants, g => g.Id, g => g.ParentGrantId);
}
