namespace Grantex.Core.Tokens;

/// <summary>Why a token was refused, or that it was accepted.</summary>
public enum TokenCheck
{
    Valid,
    Malformed,
    BadSignature,
    UnknownKey,
    Expired,
    NotYetValid,
    WrongIssuer,
    WrongAudience,
    MissingClaims,
    InsufficientScope,
    TooLarge,
    WrongDeveloper,
    Revoked,
}
