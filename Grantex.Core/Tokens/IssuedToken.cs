namespace Grantex.Core.Tokens;

/// <summary>A grant token that was issued (the JWT itself is not stored, only its id and lifetime).</summary>
public sealed class IssuedToken
{
    public required string Id { get; init; }

    public required string GrantId { get; init; }

    public required string DeveloperId { get; init; }

    /// <summary>The signing key's kid: a key leaves the JWKS once none of its tokens is still unexpired.</summary>
    public required string Kid { get; init; }

    public DateTime IssuedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime? RevokedAt { get; set; }
}
