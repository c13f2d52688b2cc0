namespace Grantex.Core.Principals;

/// <summary>A new principal session token (wire format §4.2 claims, our own type and audience) and when it ends.</summary>
public sealed record IssuedPrincipalSession(string Token, DateTime ExpiresAt, PrincipalSession Session);
