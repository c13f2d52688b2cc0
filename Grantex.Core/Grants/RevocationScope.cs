namespace Grantex.Core.Grants;

/// <summary>Where a revocation starts (conventions: one grant with its descendants; every grant of an agent or a principal only when asked for).</summary>
public enum RevocationScope
{
    Grant,
    Agent,
    Principal,
}
