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

    /// <summary>Whether the principal has a passkey; with <paramref name="independentOnly"/>, one enrolled through a path the developer does not control.</summary>
    public async Task<bool> HasPasskeyAsync(string developerId, string principalId, bool independentOnly = false, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var passkeys = db.Set<PrincipalPasskey>().Where(p => p.DeveloperId == developerId && p.PrincipalId == principalId);
        return independentOnly
            ? await passkeys.AnyAsync(p => p.EnrolledVia == PasskeyEnrolment.Sso || p.EnrolledVia == PasskeyEnrolment.EnrolmentLink, cancellationToken)
            : await passkeys.AnyAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PrincipalPasskey>> ListAsync(string developerId, string principalId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<PrincipalPasskey>().AsNoTracking()
            .Where(p => p.DeveloperId == developerId && p.PrincipalId == principalId)
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a registration: creation options for the browser, with the developer's name as relying-party name. The
    /// path the passkey will be recorded with (<paramref name="via"/>) is fixed here, in the ceremony, by the caller
    /// that knows it: the developer API, the consent page (after an SSO sign-in or not), or an enrolment link.
    /// </summary>
    public async Task<Result<PasskeyChallenge>> BeginRegistrationAsync(
        DeveloperInfo developer, string? principalId, PasskeyEnrolment via, ConsentBinding? binding, HttpContext http, string? enrolmentLinkId = null,
        CancellationToken cancellationToken = default)
    {
        if (!Validate.Text(principalId, 256))
        {
            return GxError.BadRequest("principalId is required (1 to 256 characters).", "principalId");
        }

        var principal = await FindPrincipalAsync(developer.Id, principalId!, cancellationToken);
        var entity = new PasskeyUserEntity { Id = principal?.Id ?? Ids.New(Ids.PasskeyPrincipal), Name = principalId!, DisplayName = principalId! };
        var made = await handler.MakeCreationOptionsAsync(entity, http);
        var optionsJson = WithRelyingPartyName(made.CreationOptionsJson, developer.FidoRpName ?? developer.Name);
        var ceremony = await SaveCeremonyAsync(PasskeyCeremonyKind.Registration, developer.Id, principalId!, entity.Id, binding, made.AttestationState!,
            via, enrolmentLinkId, cancellationToken);
        return new PasskeyChallenge(ceremony.Id, ceremony.Kind, optionsJson);
    }

    /// <summary>
    /// Verifies the browser's attestation and stores the passkey with the path its ceremony was started for. With a
    /// <paramref name="binding"/> (the consent page) it is refused when the principal already has a passkey that counts
    /// there (any passkey on first use; an independently enrolled one after an SSO sign-in). A ceremony started from an
    /// enrolment link needs that same link (<paramref name="enrolmentLinkId"/>), which is used up in the same write —
    /// only if it is still unused and unexpired.
    /// </summary>
    public async Task<Result<PrincipalPasskey>> CompleteRegistrationAsync(
        string developerId, string? ceremonyId, string? credentialJson, string? deviceName, ConsentBinding? binding, string actor, HttpContext http,
        string? enrolmentLinkId = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(ceremonyId) || string.IsNullOrEmpty(credentialJson))
        {
            return GxError.Required(("challengeId", ceremonyId), ("response", credentialJson));
        }

        if (deviceName is not null && !Validate.Text(deviceName, 200))
        {
            return GxError.BadRequest("deviceName must be 1 to 200 characters.", "deviceName");
        }

        var ceremony = await ConsumeAsync(ceremonyId, PasskeyCeremonyKind.Registration, developerId, binding, enrolmentLinkId, cancellationToken);
        if (ceremony is null)
        {
            return GxError.BadRequest(StaleChallenge);
        }

        var via = ceremony.EnrolledVia ?? PasskeyEnrolment.DeveloperApi;
        var result = await handler.PerformAttestationAsync(new PasskeyAttestationContext
        {
            HttpContext = http,
            CredentialJson = credentialJson,
            AttestationState = ceremony.State,
        });
        if (!result.Succeeded || result.UserEntity.Id != ceremony.PrincipalKey)
        {
            var reason = result.Failure?.Message ?? "the credential was made for another user";
            await AuditAsync(developerId, ceremony.PrincipalId, binding, via, AuditActions.PasskeyRegistrationRefused, reason, actor, cancellationToken);
            return GxError.BadRequest($"The passkey could not be registered: {reason}");
        }

        var info = result.Passkey;
        return await writes.ExecuteAsync<Result<PrincipalPasskey>>(async ctx =>
        {
            // Every check first: a refused write must change nothing (an error result is still committed with what it did).
            var principals = ctx.Db.Set<PasskeyPrincipal>();
            var principal = await principals.FirstOrDefaultAsync(p => p.DeveloperId == developerId && p.PrincipalId == ceremony.PrincipalId, cancellationToken);
            if (principal is not null && principal.Id != ceremony.PrincipalKey)
            {
                return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict, "Another passkey registration for this principal finished first. Start again.");
            }

            var passkeys = ctx.Db.Set<PrincipalPasskey>();
            var counting = via == PasskeyEnrolment.Sso
                ? passkeys.Where(p => p.PrincipalKey == ceremony.PrincipalKey && (p.EnrolledVia == PasskeyEnrolment.Sso || p.EnrolledVia == PasskeyEnrolment.EnrolmentLink))
                : passkeys.Where(p => p.PrincipalKey == ceremony.PrincipalKey);
            if (binding is not null && await counting.AnyAsync(cancellationToken))
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
                EnrolledVia = via,
                CreatedAt = ctx.Now,
            };
            if (ceremony.EnrolmentLinkId is { } linkId)
            {
                var now = ctx.Now;
                var used = await ctx.Db.Set<PasskeyEnrolmentLink>()
                    .Where(l => l.Id == linkId && l.DeveloperId == developerId && l.PrincipalId == ceremony.PrincipalId && l.UsedAt == null && l.ExpiresAt > now)
                    .ExecuteUpdateAsync(u => u.SetProperty(l => l.UsedAt, now).SetProperty(l => l.PasskeyId, passkey.Id), cancellationToken);
                if (used != 1)
                {
                    return PasskeyEnrolmentLinks.Spent;
                }

                await ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(developerId, PrincipalId: ceremony.PrincipalId), AuditActions.PasskeyEnrolmentLinkUsed, actor,
                    AuditMetadata.With("linkId", linkId).And("credential", passkey.Id)));
            }

            if (principal is null)
            {
                principals.Add(new PasskeyPrincipal { Id = ceremony.PrincipalKey, DeveloperId = developerId, PrincipalId = ceremony.PrincipalId, CreatedAt = ctx.Now });
            }

            passkeys.Add(passkey);
            await ctx.AppendAuditAsync(Draft(developerId, ceremony.PrincipalId, binding, via, AuditActions.PasskeyRegistered,
                AuditMetadata.With("credential", passkey.Id).And("userVerified", passkey.IsUserVerified), actor));
            return passkey;
        }, cancellationToken);
    }

    /// <summary>
    /// Starts an assertion for a principal's passkeys, bound to one consent request and session. With
    /// <paramref name="independentOnly"/> the browser is offered only the passkeys enrolled through a path the developer
    /// does not control (the decision checks the one actually used again).
    /// </summary>
    public async Task<Result<PasskeyChallenge>> BeginAssertionAsync(
        string developerId, string principalId, ConsentBinding binding, HttpContext http, bool independentOnly = false, CancellationToken cancellationToken = default)
    {
        var principal = await FindPrincipalAsync(developerId, principalId, cancellationToken);
        if (principal is null || !await HasPasskeyAsync(developerId, principalId, independentOnly, cancellationToken))
        {
            return GxError.BadRequest("This person has no passkey yet.");
        }

        var made = await handler.MakeRequestOptionsAsync(principal, http);
        var optionsJson = made.RequestOptionsJson;
        if (independentOnly)
        {
            var allowed = (await ListAsync(developerId, principalId, cancellationToken)).Where(p => PasskeyEnrolments.IsIndependent(p.EnrolledVia)).Select(p => p.CredentialId).ToHashSet(StringComparer.Ordinal);
            optionsJson = OnlyCredentials(optionsJson, allowed);
        }

        var ceremony = await SaveCeremonyAsync(PasskeyCeremonyKind.Assertion, developerId, principalId, principal.Id, binding, made.AssertionState!, null, null, cancellationToken);
        return new PasskeyChallenge(ceremony.Id, ceremony.Kind, optionsJson);
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

        var ceremony = await ConsumeAsync(ceremonyId, PasskeyCeremonyKind.Assertion, developerId, binding, null, cancellationToken);
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
            if (updated != 1)
            {
                return GxError.BadRequest("The passkey could not be verified: its signature counter did not advance (a replayed assertion or a cloned authenticator).");
            }

            var via = await ctx.Db.Set<PrincipalPasskey>().Where(p => p.CredentialId == credentialId).Select(p => p.EnrolledVia).FirstAsync(cancellationToken);
            return new PresenceProof(binding.AuthRequestId, credentialId, now, UserVerified: true, via);
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
            await ctx.AppendAuditAsync(Draft(developerId, passkey.PrincipalId, null, passkey.EnrolledVia, AuditActions.PasskeyDeleted, AuditMetadata.With("credential", passkey.Id), actor));
            return true;
        }, cancellationToken);

    private async Task<PasskeyPrincipal?> FindPrincipalAsync(string developerId, string principalId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<PasskeyPrincipal>().AsNoTracking().FirstOrDefaultAsync(p => p.DeveloperId == developerId && p.PrincipalId == principalId, cancellationToken);
    }

    private Task<PasskeyCeremony> SaveCeremonyAsync(
        PasskeyCeremonyKind kind, string developerId, string principalId, string principalKey, ConsentBinding? binding, string state,
        PasskeyEnrolment? via, string? enrolmentLinkId, CancellationToken cancellationToken) =>
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
                EnrolledVia = via,
                EnrolmentLinkId = enrolmentLinkId,
                State = state,
                CreatedAt = now,
                ExpiresAt = now + options.Value.CeremonyLifetime,
            };
            ceremonies.Add(ceremony);
            return ceremony;
        }, cancellationToken);

    /// <summary>
    /// Takes a ceremony exactly once. One that does not match (other kind, developer, request, session or enrolment
    /// link) is left in place, so a stranger who learns its id cannot spoil the person's ceremony; an expired one is removed.
    /// </summary>
    private Task<PasskeyCeremony?> ConsumeAsync(
        string ceremonyId, PasskeyCeremonyKind kind, string developerId, ConsentBinding? binding, string? enrolmentLinkId, CancellationToken cancellationToken) =>
        writes.ExecuteAsync(async ctx =>
        {
            var ceremony = await ctx.Db.Set<PasskeyCeremony>().FirstOrDefaultAsync(c => c.Id == ceremonyId, cancellationToken);
            if (ceremony is null || ceremony.Kind != kind || ceremony.DeveloperId != developerId
                || ceremony.AuthRequestId != binding?.AuthRequestId || ceremony.SessionHash != binding?.SessionHash || ceremony.EnrolmentLinkId != enrolmentLinkId)
            {
                return null;
            }

            ctx.Db.Remove(ceremony);
            return ceremony.ExpiresAt > ctx.Now ? ceremony : null;
        }, cancellationToken);

    private Task AuditAsync(
        string developerId, string principalId, ConsentBinding? binding, PasskeyEnrolment via, AuditAction action, string reason, string actor, CancellationToken cancellationToken) =>
        writes.AppendAsync(ctx => ctx.AppendAuditAsync(Draft(developerId, principalId, binding, via, action, AuditMetadata.With("reason", reason), actor)), cancellationToken);

    private static AuditDraft Draft(string developerId, string principalId, ConsentBinding? binding, PasskeyEnrolment via, AuditAction action, AuditMetadata metadata, string actor) =>
        AuditDraft.For(new AuditSubject(developerId, PrincipalId: principalId), action, actor,
            metadata.And("via", binding is null ? via == PasskeyEnrolment.EnrolmentLink ? "enrolment_link" : "api" : "consent")
                .And("enrolment", PasskeyEnrolments.ToWire(via))
                .AndIf(binding is not null, "authRequestId", binding?.AuthRequestId));

    /// <summary>Keeps only the listed credentials in request options' <c>allowCredentials</c>.</summary>
    private static string OnlyCredentials(string optionsJson, IReadOnlySet<string> credentialIds)
    {
        var node = JsonNode.Parse(optionsJson)!;
        if (node["allowCredentials"] is JsonArray list)
        {
            foreach (var entry in list.ToList())
            {
                if (entry?["id"]?.GetValue<string>() is not { } id || !credentialIds.Contains(id))
                {
                    list.Remove(entry);
                }
            }
        }

        return node.ToJsonString();
    }

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
