using Grantex.Console.Components.Consent.Sso;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Passkeys;

namespace Grantex.Console.Components.Consent;

/// <summary>
/// The person's consent decision, written once for both ways in: the consent page's form and the consent JSON
/// endpoints (<c>/v1/consent/{id}/…</c>). Every step needs the consent session this browser holds for the request
/// (<see cref="ConsentSession"/>: cookie plus antiforgery token); a missing one is audited with the caller's action
/// and refused with 403 <c>CONSENT_SESSION_REQUIRED</c>. Then the passkey assertion, when one is sent, is verified
/// for this request and session; the person's identity-provider sign-in for this request, when this browser has one
/// (<see cref="ConsentSsoCookie"/>), goes with it — the developer's <c>principalAuthentication</c> decides in Core
/// whether it is required; the decision is taken exactly once by <see cref="ConsentService.DecideAsync"/>; and the
/// session ends.
/// </summary>
public sealed class ConsentFlow(ConsentSession session, ConsentService consent, ConsentPresenceService presence, ConsentSsoCookie ssoCookie)
{
    /// <summary>The body member carrying the passkey assertion (<c>{challengeId, response}</c>); a refused assertion names it.</summary>
    public const string AssertionField = "response";

    private const string NoSession = "no consent session for this request in this browser";

    public static GxError SessionRequired { get; } = GxError.Forbidden(ErrorCodes.ConsentSessionRequired,
        "Only the person, on the consent page in their own browser, can approve or deny this request. Open the consentUrl.");

    /// <summary>This browser's session id for the request; without one, <paramref name="refusal"/> is audited and <see cref="SessionRequired"/> returned.</summary>
    public async Task<Result<string>> RequireSessionAsync(HttpContext http, string requestId, AuditAction refusal, CancellationToken cancellationToken = default)
    {
        if (await session.ValidSessionIdAsync(http, requestId) is { } sessionId)
        {
            return sessionId;
        }

        await consent.RecordRefusalAsync(requestId, refusal, NoSession, cancellationToken);
        return SessionRequired;
    }

    /// <summary>
    /// Decides in the session <paramref name="sessionId"/> (from <see cref="RequireSessionAsync"/>): verifies the
    /// assertion when one is given (a refused assertion names <see cref="AssertionField"/>), decides, ends the session.
    /// </summary>
    public async Task<Result<ConsentDecision>> DecideAsync(
        HttpContext http, string requestId, string sessionId, bool approve, ConsentAssertion? assertion, CancellationToken cancellationToken = default)
    {
        PresenceProof? proof = null;
        if (assertion is not null)
        {
            var verified = await presence.VerifyAsync(requestId, sessionId, assertion.ChallengeId, assertion.Response, http, cancellationToken);
            if (!verified.IsSuccess)
            {
                // A refused assertion names the assertion; a request that is gone or unknown does not.
                return verified.Error.Fields.Count > 0 || verified.Error.Kind is not (GxErrorKind.Validation or GxErrorKind.Forbidden)
                    ? verified.Error
                    : verified.Error.For(AssertionField);
            }

            proof = verified.Value;
        }

        var identity = ssoCookie.Read(http, requestId)?.Proof;
        var decision = await consent.DecideAsync(requestId, approve, ConsentPresenceService.Actor, proof, identity, cancellationToken);
        if (decision.IsSuccess)
        {
            ConsentSession.End(http);
            ConsentSsoCookie.End(http);
        }

        return decision;
    }

    /// <summary>
    /// Starts the passkey step: assertion options when the principal has a passkey that counts, else registration
    /// options when this browser may enrol one (first use under <c>none</c>; after an SSO sign-in as the principal otherwise).
    /// </summary>
    public async Task<Result<PasskeyChallenge>> BeginPasskeyAsync(HttpContext http, string requestId, CancellationToken cancellationToken = default)
    {
        var sessionId = await RequireSessionAsync(http, requestId, AuditActions.ConsentPasskeyRefused, cancellationToken);
        return sessionId.IsSuccess
            ? await presence.BeginAsync(requestId, sessionId.Value, ssoCookie.Read(http, requestId)?.Proof, http, cancellationToken)
            : sessionId.Error;
    }

    /// <summary>Stores the passkey created on this page and returns the assertion to run next.</summary>
    public async Task<Result<PasskeyChallenge>> RegisterPasskeyAsync(
        HttpContext http, string requestId, ConsentAssertion? created, CancellationToken cancellationToken = default)
    {
        var sessionId = await RequireSessionAsync(http, requestId, AuditActions.ConsentPasskeyRefused, cancellationToken);
        return sessionId.IsSuccess
            ? await presence.RegisterAsync(requestId, sessionId.Value, ssoCookie.Read(http, requestId)?.Proof, created?.ChallengeId, created?.Response, http, cancellationToken)
            : sessionId.Error;
    }
}
