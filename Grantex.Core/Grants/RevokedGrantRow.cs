namespace Grantex.Core.Grants;

/// <summary>A grant the cascade just revoked (RETURNING row).</summary>
public sealed record RevokedGrantRow(string Id, string? ParentGrantId, long ExpiresAt)
{
    public DateTime ExpiresAtUtc => Common.TimeFormat.FromUnixMillis(ExpiresAt);
}
