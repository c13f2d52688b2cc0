namespace Grantex.Core.Passkeys;

/// <summary>A verified passkey assertion made for one consent request, with the path the passkey was enrolled through.</summary>
public sealed record PresenceProof(string AuthRequestId, string CredentialId, DateTime VerifiedAt, bool UserVerified, PasskeyEnrolment Enrolment);
