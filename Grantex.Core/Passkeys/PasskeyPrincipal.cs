namespace Grantex.Core.Passkeys;

/// <summary>
/// One of a developer's end users (developer id + principal id) as a WebAuthn user. <see cref="Id"/> is the opaque
/// user handle given to authenticators, so neither the principal id nor the developer appears in it.
/// </summary>
public sealed class PasskeyPrincipal
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string PrincipalId { get; init; }

    public DateTime CreatedAt { get; init; }
}
