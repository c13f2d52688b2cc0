namespace Grantex.Core.Passkeys;

/// <summary>A link just issued: the stored row and the secret, which exists only in this answer (shown once).</summary>
public sealed record IssuedEnrolmentLink(PasskeyEnrolmentLink Link, string Token);
