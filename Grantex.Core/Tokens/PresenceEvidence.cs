namespace Grantex.Core.Tokens;

/// <summary>
/// Evidence that the person was present at consent: when the passkey assertion was made, a SHA-256 of the
/// credential id (not the id itself), and whether the authenticator verified the user. Carried as
/// <c>amr: ["hwk", "user"]</c> plus a <c>presence</c> claim <c>{at, cred, uv}</c>.
/// </summary>
public sealed record PresenceEvidence(long VerifiedAt, string CredentialHash, bool UserVerified);
