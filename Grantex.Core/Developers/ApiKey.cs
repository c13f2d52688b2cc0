namespace Grantex.Core.Developers;

/// <summary>A developer's API key, kept only as the SHA-256 of the full key.</summary>
public sealed class ApiKey
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string KeyHash { get; init; }

    /// <summary>The first characters of the key ("gx_test_AbC1"), enough to recognise it in a list.</summary>
    public required string Prefix { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>Set when the key was rotated away or revoked; the key stops working at this time.</summary>
    public DateTime? ExpiresAt { get; set; }
}
