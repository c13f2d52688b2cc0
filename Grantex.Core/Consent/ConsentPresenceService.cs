using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Identity;
using Grantex.Core.Passkeys;
using Microsoft.AspNetCore.Http;

namespace Grantex.Core.Consent;

/// <summary>
/// Presence proof on the consent page: register a passkey when the principal has none that counts, then assert it —
/// every step bound to one pending request that needs presence, and to the consent session of the browser showing it.
/// Who may register there depends on the developer's <c>principalAuthentication</c>: with <c>none</c>, whoever opens
/// the link first (recorded as <see cref="PasskeyEnrolment.ConsentPage"/>, which proves nothing about the person);
/// with <c>sso</c> or <c>passkey</c>, only a person signed in at the identity provider as the principal for this
/// request (<see cref="PasskeyEnrolment.Sso"/>) — a first opener without that sign-in is refused and audited. Under
/// <c>sso</c> and <c>passkey</c> only independently enrolled passkeys are offered for the assertion. Failed
/// verifications are audited against the request. Part of consent; it calls <see cref="PasskeyService"/> as a plain service.
/// </summary>
public sealed class ConsentPresenceService(ConsentService consent, PasskeyService passkeys)
{
    public const string Actor = "consent-page";

    private const string EnrolmentRefused = "a first-use passkey enrolment without a sign-in at the identity provider as the principal";

    /// <summary>Assertion options when the principal has a passkey that counts here, else registration options when this browser may enrol one.</summary>
    public async Task<Result<PasskeyChallenge>> BeginAsync(string requestId, string sessionId, IdentityProof? signIn, HttpContext http, CancellationToken cancellationToken = default)
    {
        var view = await RequestNeedingPresenceAsync(requestId, cancellationToken);
        if (!view.IsSuccess)
        {
            return view.Error;
        }

        var request = view.Value.Request;
        var binding = new ConsentBinding(requestId, sessionId);
        var independentOnly = view.Value.Developer.PrincipalAuthentication != IdentityLevel.None;
        if (await passkeys.HasPasskeyAsync(request.DeveloperId, request.PrincipalId, independentOnly, cancellationToken))
        {
            return await passkeys.BeginAssertionAsync(request.DeveloperId, request.PrincipalId, binding, http, independentOnly, cancellationToken);
        }

        var via = await EnrolmentPathAsync(view.Value, signIn, cancellationToken);
        return via.IsSuccess
            ? await passkeys.BeginRegistrationAsync(view.Value.Developer, request.PrincipalId, via.Value, binding, http, cancellationToken: cancellationToken)
            : via.Error;
    }

    /// <summary>Stores the passkey made on the consent page, then starts the assertion with it.</summary>
    public async Task<Result<PasskeyChallenge>> RegisterAsync(
        string requestId, string sessionId, IdentityProof? signIn, string? ceremonyId, string? credentialJson, HttpContext http, CancellationToken cancellationToken = default)
    {
        var view = await RequestNeedingPresenceAsync(requestId, cancellationToken);
        if (!view.IsSuccess)
        {
            return view.Error;
        }

        // The path was fixed when the options were issued; the sign-in it needed must still be there.
        var via = await EnrolmentPathAsync(view.Value, signIn, cancellationToken);
        if (!via.IsSuccess)
        {
            return via.Error;
        }

        var request = view.Value.Request;
        var binding = new ConsentBinding(requestId, sessionId);
        var registered = await passkeys.CompleteRegistrationAsync(request.DeveloperId, ceremonyId, credentialJson, deviceName: null, binding, Actor, http, cancellationToken: cancellationToken);
        return registered.IsSuccess
            ? await passkeys.BeginAssertionAsync(request.DeveloperId, request.PrincipalId, binding, http, view.Value.Developer.PrincipalAuthentication != IdentityLevel.None, cancellationToken)
            : registered.Error;
    }

    /// <summary>Verifies the assertion sent with the answer; the proof it returns is what <see cref="ConsentService.DecideAsync"/> needs.</summary>
    public async Task<Result<PresenceProof>> VerifyAsync(
        string requestId, string sessionId, string? ceremonyId, string? credentialJson, HttpContext http, CancellationToken cancellationToken = default)
    {
        var view = await RequestNeedingPresenceAsync(requestId, cancellationToken);
        if (!view.IsSuccess)
        {
            return view.Error;
        }

        var proof = await passkeys.VerifyAssertionAsync(view.Value.Request.DeveloperId, ceremonyId, credentialJson, new ConsentBinding(requestId, sessionId), http, cancellationToken);
        if (!proof.IsSuccess && proof.Error.Code != ErrorCodes.FidoRequired)
        {
            await consent.RecordRefusalAsync(requestId, AuditActions.ConsentPresenceRefused, proof.Error.Message, cancellationToken);
        }

        return proof;
    }

    /// <summary>
    /// How a passkey made on this consent page would be enrolled: first use under <c>none</c>; under <c>sso</c> and
    /// <c>passkey</c> only after a sign-in as the principal for this request, else refused (403 <c>IDENTITY_REQUIRED</c>, audited).
    /// </summary>
    private async Task<Result<PasskeyEnrolment>> EnrolmentPathAsync(ConsentView view, IdentityProof? signIn, CancellationToken cancellationToken)
    {
        var level = view.Developer.PrincipalAuthentication;
        if (level == IdentityLevel.None)
        {
            return PasskeyEnrolment.ConsentPage;
        }

        if (ConsentService.IdentityRefusal(IdentityLevel.Sso, view.Request, signIn) is not { } reason)
        {
            return PasskeyEnrolment.Sso;
        }

        await consent.RecordRefusalAsync(view.Request.Id, AuditActions.ConsentIdentityRefused, $"{EnrolmentRefused} ({reason})", cancellationToken);
        return GxError.Forbidden(ConsentService.IdentityRequiredCode,
            "This person has no passkey enrolled through their own sign-in. Sign in with your organisation's account on the consent page to enrol one, or ask an administrator for an enrolment link.");
    }

    private async Task<Result<ConsentView>> RequestNeedingPresenceAsync(string requestId, CancellationToken cancellationToken)
    {
        var view = await consent.GetForConsentAsync(requestId, cancellationToken);
        return !view.IsSuccess || view.Value.PresenceRequired ? view : GxError.BadRequest("This request does not ask for a passkey.");
    }
}
