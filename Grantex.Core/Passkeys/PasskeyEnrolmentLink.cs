namespace Grantex.Core.Passkeys;

/// <summary>
/// A one-time link an administrator issued in the console so that one principal of one developer can enrol a passkey
/// the developer had no hand in. Only a SHA-256 of its secret is stored; it is used up by the first passkey stored
/// through it (a conditional update: used once, only before it expires).
/// </summary>
public sealed class PasskeyEnrolmentLink
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string PrincipalId { get; init; }

    /// <summary>SHA-256 (hex) of the secret in the link.</summary>
    public required string TokenHash { get; init; }

    /// <summary>The console user who issued it.</summary>
    public required string IssuedBy { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime? UsedAt { get; set; }

    /// <summary>The passkey enrolled through it.</summary>
    public string? PasskeyId { get; set; }
}
