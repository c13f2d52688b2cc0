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

    /// <summary>The token's agent (or the agent it was delegated from) is suspended; valid again once reactivated.</summary>
    AgentSuspended,

    /// <summary>The person was identified less strongly than the verifier requires (<see cref="GrantTokenVerifierOptions.MinimumIdentity"/>).</summary>
    InsufficientIdentity,
}
