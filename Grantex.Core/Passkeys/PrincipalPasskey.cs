namespace Grantex.Core.Passkeys;

/// <summary>A passkey registered for a principal: the WebAuthn credential record (public key, sign count, flags).</summary>
public sealed class PrincipalPasskey
{
    public required string Id { get; init; }

    /// <summary>The <see cref="PasskeyPrincipal"/> (user handle) it belongs to.</summary>
    public required string PrincipalKey { get; init; }

    public required string DeveloperId { get; init; }

    public required string PrincipalId { get; init; }

    /// <summary>The WebAuthn credential id, base64url (unique across the server).</summary>
    public required string CredentialId { get; init; }

    /// <summary>The COSE public key as the authenticator gave it.</summary>
    public required byte[] PublicKey { get; init; }

    /// <summary>The last signature counter seen; an assertion must present a higher one (unless both are zero).</summary>
    public long SignCount { get; set; }

    public List<string> Transports { get; init; } = [];

    public bool IsUserVerified { get; init; }

    public bool IsBackupEligible { get; init; }

    public bool IsBackedUp { get; set; }

    public byte[]? AttestationObject { get; init; }

    public byte[]? ClientDataJson { get; init; }

    public string? DeviceName { get; init; }

    /// <summary>The path it was enrolled through; only <see cref="PasskeyEnrolments.IsIndependent"/> paths prove the person.</summary>
    public PasskeyEnrolment EnrolledVia { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? LastUsedAt { get; set; }
}
