using Grantex.Core.Policies;

namespace Grantex.Core.Consent;

/// <summary>
/// A created authorization request; <see cref="Code"/> is set when it was approved at once (sandbox, or an allow
/// policy: <see cref="AllowedBy"/>).
/// </summary>
public sealed record AuthorizeResult(AuthRequest Request, string ConsentUrl, string? Code, bool Sandbox, Policy? AllowedBy = null);
