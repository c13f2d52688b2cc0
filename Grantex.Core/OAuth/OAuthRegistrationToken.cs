namespace Grantex.Core.OAuth;

/// <summary>
/// An initial access token (RFC 7591 §3): created by a developer with its API key, it lets a client register under
/// that developer until it expires or its uses run out. Stored as SHA-256 only.
/// </summary>
public sealed class OAuthRegistrationToken
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string TokenHash { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public int MaxUses { get; init; }

    public int Uses { get; set; }
}
