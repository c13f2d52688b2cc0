namespace Grantex.Core.Telemetry;

/// <summary>The <c>result</c> tag of <c>grantex.token.verifications</c>, in the order of its tag values.</summary>
internal enum VerificationOutcome
{
    Valid,
    Revoked,
    Suspended,
    Expired,
    Invalid,
}
