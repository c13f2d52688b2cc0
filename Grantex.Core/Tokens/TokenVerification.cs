namespace Grantex.Core.Tokens;

public sealed record TokenVerification(TokenCheck Check, VerifiedGrant? Grant, string Detail)
{
    public bool IsValid => Check == TokenCheck.Valid && Grant is not null;

    public static TokenVerification Fail(TokenCheck check, string detail) => new(check, null, detail);
}
