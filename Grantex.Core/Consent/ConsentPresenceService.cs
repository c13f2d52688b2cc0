using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Passkeys;
using Microsoft.AspNetCore.Http;

namespace Grantex.Core.Consent;

/// <summary>
/// Presence proof on the consent page: register a passkey on first use, then assert it — every step bound to one
/// pending request that needs presence, and to the consent session of the browser showing it. Failed verifications
/// are audited against the request. Part of consent; it calls <see cref="PasskeyService"/> as a plain service.
/// </summary>
public sealed class ConsentPresenceService(ConsentService consent, PasskeyService passkeys)
{
    public const string Actor = "consent-page";

    /// <summary>Registration options when the principal has no passkey yet (first use), otherwise assertion options.</summary>
    public async Task<Result<PasskeyChallenge>> BeginAsync(string requestId, string sessionId, HttpContext http, CancellationToken cancellationToken = default)
    {
        var view = await RequestNeedingPresenceAsync(requestId, cancellationToken);
        if (!view.IsSuccess)
        {
            return view.Error;
        }

        var request = view.Value.Request;
        var binding = new ConsentBinding(requestId, sessionId);
        return await passkeys.HasPasskeyAsync(request.DeveloperId, request.PrincipalId, cancellationToken)
            ? await passkeys.BeginAssertionAsync(request.DeveloperId, request.PrincipalId, binding, http, cancellationToken)
            : await passkeys.BeginRegistrationAsync(view.Value.Developer, request.PrincipalId, binding, http, cancellationToken);
    }

    /// <summary>Stores the first passkey made on the consent page, then starts the assertion with it.</summary>
    public async Task<Result<PasskeyChallenge>> RegisterAsync(
        string requestId, string sessionId, string? ceremonyId, string? credentialJson, HttpContext http, CancellationToken cancellationToken = default)
    {
        var view = await RequestNeedingPresenceAsync(requestId, cancellationToken);
        if (!view.IsSuccess)
        {
            return view.Error;
        }

        var request = view.Value.Request;
        var binding = new ConsentBinding(requestId, sessionId);
        var registered = await passkeys.CompleteRegistrationAsync(request.DeveloperId, ceremonyId, credentialJson, deviceName: null, binding, Actor, http, cancellationToken);
        return registered.IsSuccess
            ? await passkeys.BeginAssertionAsync(request.DeveloperId, request.PrincipalId, binding, http, cancellationToken)
            : registered.Error;
    }

    /// <summary>Verifies the assertion sent with Allow; the proof it returns is what <see cref="ConsentService.DecideAsync"/> needs.</summary>
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

    private async Task<Result<ConsentView>> RequestNeedingPresenceAsync(string requestId, CancellationToken cancellationToken)
    {
        var view = await consent.GetForConsentAsync(requestId, cancellationToken);
        return !view.IsSuccess || view.Value.PresenceRequired ? view : GxError.BadRequest("This request does not ask for a passkey.");
    }
}
