namespace Grantex.Core.Passkeys;

/// <summary>A verified passkey assertion made for one consent request.</summary>
public sealed record PresenceProof(string AuthRequestId, string CredentialId, DateTime VerifiedAt, bool UserVerified);
