namespace Grantex.Core.Consent;

/// <summary>A created authorization request; <see cref="Code"/> is set when it was approved at once (sandbox).</summary>
public sealed record AuthorizeResult(AuthRequest Request, string ConsentUrl, string? Code, bool Sandbox);
