namespace Grantex.Core.Jose;

/// <summary>Why a JWS did not verify.</summary>
public enum JwsFailure
{
    /// <summary>Not a compact JWS at all.</summary>
    Malformed,

    /// <summary>Wrong algorithm or type, or a signature that does not verify: forged or altered.</summary>
    Invalid,

    /// <summary>Signed with a key the verifier does not have (e.g. a retired key): it cannot be checked.</summary>
    UnknownKey,
}

/// <summary>The outcome of <see cref="CompactJws.VerifyAsync"/>: the payload bytes exactly as signed, when readable.</summary>
public sealed record JwsCheck(bool Valid, JwsFailure? Failure, string? Kid, byte[]? Payload, string? Problem)
{
    public static JwsCheck Fail(JwsFailure failure, string? kid, byte[]? payload, string problem) => new(false, failure, kid, payload, problem);
}
