namespace Grantex.Core.Principals;

/// <summary>A verified principal session: the person (principal of one developer) the token speaks for, until when.</summary>
public sealed record PrincipalSession(string DeveloperId, string PrincipalId, string SessionId, DateTime ExpiresAt);
