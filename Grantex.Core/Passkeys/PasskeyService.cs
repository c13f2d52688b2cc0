using System.Buffers.Text;
using System.Text.Json.Nodes;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Grantex.Core.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Passkeys;

/// <summary>
/// Passkeys of developers' end users (wire format §3.5.6; api.md, Passkey presence proof), verified by ASP.NET Core
/// Identity's <see cref="IPasskeyHandler{TUser}"/>: no hand-written CBOR or signature code here. This class carries the
/// ceremony state (single use, short-lived, bound to the developer and — on the consent page — to the request and
/// the browser's consent session) and makes every write in the single writer: registrations, and the sign-count
/// compare-and-set that refuses a replayed or cloned assertion.
/// </summary>
public sealed class PasskeyService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    IPasskeyHandler<PasskeyPrincipal> handler,
    IOptions<GrantexPasskeyOptions> options)
{
    private const string StaleChallenge = "The passkey challenge is unknown, expired, already used, or was issued for something else. Start again.";

    public async Task<bool> HasPasskeyAsync(string developerId, string principalId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<PrincipalPasskey>().AnyAsync(p => p.DeveloperId == developerId && p.PrincipalId == principalId, cancellationToken);
    }

    public async Task<IReadOnlyList<PrincipalPasskey>> ListAsync(string developerId, string principalId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<PrincipalPasskey>().AsNoTracking()
            .Where(p => p.DeveloperId == developerId && p.PrincipalId == principalId)
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Starts a registration: creation options for the browser, with the developer's name as relying-party name.</summary>
    public async Task<Result<PasskeyChallenge>> BeginRegistrationAsync(
        DeveloperInfo developer, string? principalId, ConsentBinding? binding, HttpContext http, CancellationToken cancellationToken = default)
    {
        if (!Validate.Text(principalId, 256))
        {
            return GxError.BadRequest("principalId is required (1 to 256 characters).", "principalId");
        }

        var principal = await FindPrincipalAsync(developer.Id, principalId!, cancellationToken);
        var entity = new PasskeyUserEntity { Id = principal?.Id ?? Ids.New(Ids.PasskeyPrincipal), Name = principalId!, DisplayName = principalId! };
        var made = await handler.MakeCreationOptionsAsync(entity, http);
        var optionsJson = WithRelyingPartyName(made.CreationOptionsJson, developer.FidoRpName ?? developer.Name);
        var ceremony = await SaveCeremonyAsync(PasskeyCeremonyKind.Registration, developer.Id, principalId!, entity.Id, binding, made.AttestationState!, cancellationToken);
        return new PasskeyChallenge(ceremony.Id, ceremony.Kind, optionsJson);
    }

    /// <summary>
    /// Verifies the browser's attestation and stores the passkey. With a <paramref name="binding"/> (first use on the
    /// consent page) it is refused when the principal already has a passkey: only the API enrols further ones.
    /// </summary>
    public async Task<Result<PrincipalPasskey>> CompleteRegistrationAsync(
        string developerId, string? ceremonyId, string? credentialJson, string? deviceName, ConsentBinding? binding, string actor, HttpContext http,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(ceremonyId) || string.IsNullOrEmpty(credentialJson))
        {
            return GxError.Required(("challengeId", ceremonyId), ("response", credentialJson));
        }

        if (deviceName is not null && !Validate.Text(deviceName, 200))
        {
            return GxError.BadRequest("deviceName must be 1 to 200 characters.", "deviceName");
        }

        var ceremony = await ConsumeAsync(ceremonyId, PasskeyCeremonyKind.Registration, developerId, binding, cancellationToken);
        if (ceremony is null)
        {
            return GxError.BadRequest(StaleChallenge);
        }

        var result = await handler.PerformAttestationAsync(new PasskeyAttestationContext
        {
            HttpContext = http,
            CredentialJson = credentialJson,
            AttestationState = ceremony.State,
        });
        if (!result.Succeeded || result.UserEntity.Id != ceremony.PrincipalKey)
        {
            var reason = result.Failure?.Message ?? "the credential was made for another user";
            await AuditAsync(developerId, ceremony.PrincipalId, binding, AuditActions.PasskeyRegistrationRefused, reason, actor, cancellationToken);
            return GxError.BadRequest($"The passkey could not be registered: {reason}");
        }

        var info = result.Passkey;
        return await writes.ExecuteAsync<Result<PrincipalPasskey>>(async ctx =>
        {
            var principals = ctx.Db.Set<PasskeyPrincipal>();
            var principal = await principals.FirstOrDefaultAsync(p => p.DeveloperId == developerId && p.PrincipalId == ceremony.PrincipalId, cancellationToken);
            if (principal is null)
            {
                principals.Add(new PasskeyPrincipal { Id = ceremony.PrincipalKey, DeveloperId = developerId, PrincipalId = ceremony.PrincipalId, CreatedAt = ctx.Now });
            }
            else if (principal.Id != ceremony.PrincipalKey)
            {
                return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict, "Another passkey registration for this principal finished first. Start again.");
            }

            var passkeys = ctx.Db.Set<PrincipalPasskey>();
            if (binding is not null && await passkeys.AnyAsync(p => p.PrincipalKey == ceremony.PrincipalKey, cancellationToken))
            {
                return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict, "This person already has a passkey; confirm with it instead of creating another.");
            }

            var credentialId = Base64Url.EncodeToString(info.CredentialId);
            if (await passkeys.AnyAsync(p => p.CredentialId == credentialId, cancellationToken))
            {
                return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict, "This passkey is already registered.");
            }

            var passkey = new PrincipalPasskey
            {
                Id = Ids.New(Ids.Passkey),
                PrincipalKey = ceremony.PrincipalKey,
                DeveloperId = developerId,
                PrincipalId = ceremony.PrincipalId,
                CredentialId = credentialId,
                PublicKey = info.PublicKey,
                SignCount = info.SignCount,
                Transports = [.. info.Transports ?? []],
                IsUserVerified = info.IsUserVerified,
                IsBackupEligible = info.IsBackupEligible,
                IsBackedUp = info.IsBackedUp,
                AttestationObject = info.AttestationObject,
                ClientDataJson = info.ClientDataJson,
                DeviceName = deviceName,
                CreatedAt = ctx.Now,
            };
            passkeys.Add(passkey);
            await ctx.AppendAuditAsync(Draft(developerId, ceremony.PrincipalId, binding, AuditActions.PasskeyRegistered,
                AuditMetadata.With("credential", passkey.Id).And("userVerified", passkey.IsUserVerified), actor));
            return passkey;
        }, cancellationToken);
    }

    /// <summary>Starts an assertion for a principal's passkeys, bound to one consent request and session.</summary>
    public async Task<Result<PasskeyChallenge>> BeginAssertionAsync(string developerId, string principalId, ConsentBinding binding, HttpContext http, CancellationToken cancellationToken = default)
    {
        var principal = await FindPrincipalAsync(developerId, principalId, cancellationToken);
        if (principal is null || !await HasPasskeyAsync(developerId, principalId, cancellationToken))
        {
            return GxError.BadRequest("This person has no passkey yet.");
        }

        var made = await handler.MakeRequestOptionsAsync(principal, http);
        var ceremony = await SaveCeremonyAsync(PasskeyCeremonyKind.Assertion, developerId, principalId, principal.Id, binding, made.AssertionState!, cancellationToken);
        return new PasskeyChallenge(ceremony.Id, ceremony.Kind, made.RequestOptionsJson);
    }

    /// <summary>
    /// Verifies an assertion made for <paramref name="binding"/>'s request in its consent session, and advances the
    /// passkey's sign count with a compare-and-set: a replayed or cloned assertion (count not higher) is refused.
    /// </summary>
    public async Task<Result<PresenceProof>> VerifyAssertionAsync(
        string developerId, string? ceremonyId, string? credentialJson, ConsentBinding binding, HttpContext http, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(ceremonyId) || string.IsNullOrEmpty(credentialJson))
        {
            return GxError.Forbidden(ErrorCodes.FidoRequired, "Confirm with your passkey before approving this request.");
        }

        var ceremony = await ConsumeAsync(ceremonyId, PasskeyCeremonyKind.Assertion, developerId, binding, cancellationToken);
        if (ceremony is null)
        {
            return GxError.BadRequest(StaleChallenge);
        }

        var result = await handler.PerformAssertionAsync(new PasskeyAssertionContext
        {
            HttpContext = http,
            CredentialJson = credentialJson,
            AssertionState = ceremony.State,
        });
        if (!result.Succeeded || result.User.Id != ceremony.PrincipalKey)
        {
            return GxError.BadRequest($"The passkey could not be verified: {result.Failure?.Message ?? "it belongs to someone else"}");
        }

        var credentialId = Base64Url.EncodeToString(result.Passkey.CredentialId);
        long count = result.Passkey.SignCount;
        var backedUp = result.Passkey.IsBackedUp;
        return await writes.ExecuteAsync<Result<PresenceProof>>(async ctx =>
        {
            var now = ctx.Now;
            var updated = await ctx.Db.Set<PrincipalPasskey>()
                .Where(p => p.CredentialId == credentialId && p.PrincipalKey == ceremony.PrincipalKey && (p.SignCount < count || (count == 0 && p.SignCount == 0)))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.SignCount, count).SetProperty(p => p.LastUsedAt, now).SetProperty(p => p.IsBackedUp, backedUp), cancellationToken);
            return updated == 1
                ? new PresenceProof(binding.AuthRequestId, credentialId, now, UserVerified: true)
                : GxError.BadRequest("The passkey could not be verified: its signature counter did not advance (a replayed assertion or a cloned authenticator).");
        }, cancellationToken);
    }

    /// <summary>Deletes one of the developer's principals' passkeys (another developer's: not found).</summary>
    public async Task<Result<bool>> DeleteAsync(string developerId, string passkeyId, string actor, CancellationToken cancellationToken = default) =>
        await writes.ExecuteAsync<Result<bool>>(async ctx =>
        {
            var passkey = await ctx.Db.Set<PrincipalPasskey>().FirstOrDefaultAsync(p => p.Id == passkeyId && p.DeveloperId == developerId, cancellationToken);
            if (passkey is null)
            {
                return GxError.NotFound("Credential not found.");
            }

            ctx.Db.Remove(passkey);
            await ctx.AppendAuditAsync(Draft(developerId, passkey.PrincipalId, null, AuditActions.PasskeyDeleted, AuditMetadata.With("credential", passkey.Id), actor));
            return true;
        }, cancellationToken);

    private async Task<PasskeyPrincipal?> FindPrincipalAsync(string developerId, string principalId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<PasskeyPrincipal>().AsNoTracking().FirstOrDefaultAsync(p => p.DeveloperId == developerId && p.PrincipalId == principalId, cancellationToken);
    }

    private Task<PasskeyCeremony> SaveCeremonyAsync(
        PasskeyCeremonyKind kind, string developerId, string principalId, string principalKey, ConsentBinding? binding, string state, CancellationToken cancellationToken) =>
        writes.ExecuteAsync(async ctx =>
        {
            var now = ctx.Now;
            var ceremonies = ctx.Db.Set<PasskeyCeremony>();
            await ceremonies.Where(c => c.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
            var ceremony = new PasskeyCeremony
            {
                Id = Ids.New(Ids.PasskeyCeremony),
                Kind = kind,
                DeveloperId = developerId,
                PrincipalId = principalId,
                PrincipalKey = principalKey,
                AuthRequestId = binding?.AuthRequestId,
                SessionHash = binding?.SessionHash,
                State = state,
                CreatedAt = now,
                ExpiresAt = now + options.Value.CeremonyLifetime,
            };
            ceremonies.Add(ceremony);
            return ceremony;
        }, cancellationToken);

    /// <summary>
    /// Takes a ceremony exactly once. One that does not match (other kind, developer, request or session) is left in
    /// place, so a stranger who learns its id cannot spoil the person's ceremony; an expired one is removed.
    /// </summary>
    private Task<PasskeyCeremony?> ConsumeAsync(string ceremonyId, PasskeyCeremonyKind kind, string developerId, ConsentBinding? binding, CancellationToken cancellationToken) =>
        writes.ExecuteAsync(async ctx =>
        {
            var ceremony = await ctx.Db.Set<PasskeyCeremony>().FirstOrDefaultAsync(c => c.Id == ceremonyId, cancellationToken);
            if (ceremony is null || ceremony.Kind != kind || ceremony.DeveloperId != developerId
                || ceremony.AuthRequestId != binding?.AuthRequestId || ceremony.SessionHash != binding?.SessionHash)
            {
                return null;
            }

            ctx.Db.Remove(ceremony);
            return ceremony.ExpiresAt > ctx.Now ? ceremony : null;
        }, cancellationToken);

    private Task AuditAsync(string developerId, string principalId, ConsentBinding? binding, AuditAction action, string reason, string actor, CancellationToken cancellationToken) =>
        writes.AppendAsync(ctx => ctx.AppendAuditAsync(Draft(developerId, principalId, binding, action, AuditMetadata.With("reason", reason), actor)), cancellationToken);

    private static AuditDraft Draft(string developerId, string principalId, ConsentBinding? binding, AuditAction action, AuditMetadata metadata, string actor) =>
        AuditDraft.For(new AuditSubject(developerId, PrincipalId: principalId), action, actor,
            metadata.And("via", binding is null ? "api" : "consent").AndIf(binding is not null, "authRequestId", binding?.AuthRequestId));

    private static string WithRelyingPartyName(string optionsJson, string name)
    {
        var node = JsonNode.Parse(optionsJson)!;
        if (node["rp"] is JsonObject rp)
        {
            rp["name"] = DisplayText.ForName(name).Text;
        }

        return node.ToJsonString();
    }
}
