using Grantex.Core.Tokens;

namespace Grantex.Core.Grants;

/// <summary>The answer of <c>POST /v1/tokens/verify</c>: valid with the grant, or not valid (with the reason kept server-side).</summary>
public sealed record OnlineVerification(bool Valid, VerifiedGrant? Grant, TokenCheck Reason);
