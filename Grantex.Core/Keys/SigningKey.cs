namespace Grantex.Core.Keys;

/// <summary>An RSA-2048 signing key. The private key is stored only as a Data Protection blob.</summary>
public sealed class SigningKey
{
    /// <summary>The stable <c>kid</c> published in the JWKS.</summary>
    public required string Id { get; init; }

    public required string ProtectedPrivateKey { get; init; }

    /// <summary>Public modulus, base64url (for the JWKS without unprotecting anything).</summary>
    public required string Modulus { get; init; }

    public required string Exponent { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>When a newer key took over signing; null while this key signs.</summary>
    public DateTime? RotatedAt { get; set; }

    /// <summary>When the key left the JWKS because every token it signed had expired.</summary>
    public DateTime? RetiredAt { get; set; }

    public string Status => RetiredAt is not null ? "retired" : RotatedAt is not null ? "verifying" : "signing";
}
