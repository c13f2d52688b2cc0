namespace Grantex.Core.Passkeys;

/// <summary>
/// A WebAuthn challenge in flight: the ceremony state ASP.NET Core Identity's passkey handler produced (challenge,
/// user), whom it is for, and — when it was started on the consent page — the authorization request and consent
/// session it is bound to. Single use (deleted when consumed) and short-lived.
/// </summary>
public sealed class PasskeyCeremony
{
    public required string Id { get; init; }

    public PasskeyCeremonyKind Kind { get; init; }

    public required string DeveloperId { get; init; }

    public required string PrincipalId { get; init; }

    /// <summary>The user handle (<see cref="PasskeyPrincipal.Id"/>) the ceremony is for.</summary>
    public required string PrincipalKey { get; init; }

    /// <summary>The authorization request a consent-page ceremony is bound to (null for API enrolment).</summary>
    public string? AuthRequestId { get; init; }

    /// <summary>SHA-256 of the consent session id a consent-page ceremony is bound to.</summary>
    public string? SessionHash { get; init; }

    /// <summary>For a registration: the path the passkey will be recorded as enrolled through, fixed when the options were issued.</summary>
    public PasskeyEnrolment? EnrolledVia { get; init; }

    /// <summary>The enrolment link a registration was started from (consumed when the passkey is stored).</summary>
    public string? EnrolmentLinkId { get; init; }

    /// <summary>The handler's attestation or assertion state (JSON).</summary>
    public required string State { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }
}
