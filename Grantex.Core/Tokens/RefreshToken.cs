namespace Grantex.Core.Tokens;

/// <summary>A single-use refresh token, stored as its SHA-256 only.</summary>
public sealed class RefreshToken
{
    public required string TokenHash { get; init; }

    public required string GrantId { get; init; }

    public required string DeveloperId { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime? UsedAt { get; set; }
}
