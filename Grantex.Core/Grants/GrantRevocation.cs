namespace Grantex.Core.Grants;

/// <summary>
/// PostgreSQL only: one row per revoked grant, written by the cascade's own statement (<see cref="GrantTreeSql"/>).
/// It answers what the revoked grants' partial index answers on SQLite — the revocation index's start-up load and the
/// revoked/active counts — so that no index on <c>grants</c> names a column a revocation changes and PostgreSQL can
/// revoke a tree with HOT updates (docs/decisions/0002-revocation-is-a-status.md).
/// </summary>
public sealed class GrantRevocation
{
    public required string GrantId { get; init; }

    public required string DeveloperId { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime RevokedAt { get; init; }
}
