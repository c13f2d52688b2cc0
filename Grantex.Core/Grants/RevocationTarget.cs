namespace Grantex.Core.Grants;

/// <summary>What to revoke: a grant (with its delegated descendants), or every active grant of an agent or of a principal, within one developer.</summary>
public sealed record RevocationTarget(RevocationScope Scope, string DeveloperId, string Value);
