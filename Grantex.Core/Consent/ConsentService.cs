using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Identity;
using Grantex.Core.Passkeys;
using Grantex.Core.Persistence;
using Grantex.Core.Principals;
using Grantex.Core.Scopes;
using Grantex.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Consent;

/// <summary>
/// Consent on a request that <see cref="AuthorizationService"/> created: look it up for the consent page, record the
/// person's decision exactly once, and audit refused attempts (wire format §3.5; api.md, Authorization and consent).
/// </summary>
public sealed class ConsentService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    TimeProvider time,
    IOptions<GrantexOptions> options,
    GrantexMetrics metrics)
{
    /// <summary>A request as the consent page needs it; <see cref="GxErrorKind.Gone"/> once it is decided or expired.</summary>
    public async Task<Result<ConsentView>> GetForConsentAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var lookup = await LookupForConsentAsync(requestId, cancellationToken);
        return lookup.State switch
        {
            ConsentLookupState.Pending => lookup.View!,
            ConsentLookupState.NotFound => GxError.NotFound("Authorization request not found."),
            ConsentLookupState.Expired => GxError.Gone("This authorization request has expired."),
            _ => GxError.Gone($"This authorization request was already {lookup.View!.Request.Status.ToString().ToLowerInvariant()}."),
        };
    }

    /// <summary>The request with its agent and developer, and where it stands: pending, expired, approved, denied or unknown.</summary>
    public async Task<ConsentLookup> LookupForConsentAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await ConsentRowQuery.For(db)(db, requestId);
        if (row is null)
        {
            return ConsentLookup.NotFound;
        }

        var view = new ConsentView(row.Request, row.Agent, DeveloperInfo.From(row.Developer));
        var state = row.Request.Status switch
        {
            AuthRequestStatus.Pending when row.Request.ExpiresAt <= time.UtcNowMillis() || row.Agent.Status != AgentStatus.Active => ConsentLookupState.Expired,
            AuthRequestStatus.Pending => ConsentLookupState.Pending,
            AuthRequestStatus.Denied => ConsentLookupState.Denied,
            _ => ConsentLookupState.Approved,
        };
        return new ConsentLookup(state, view);
    }

    /// <summary>The machine code of a decision refused because the person was not identified as the developer requires.</summary>
    public const string IdentityRequiredCode = "IDENTITY_REQUIRED";

    /// <summary>
    /// Records the person's decision exactly once. Approve needs the request pending and unexpired and, when the
    /// developer requires presence for these scopes, a passkey proof made for this very request. When the developer's
    /// <c>principalAuthentication</c> is <c>sso</c>, approve and deny both need <paramref name="identity"/>: a sign-in
    /// made for this very request whose mapped claim names the request's principal; when it is <c>passkey</c>, both need
    /// <paramref name="presence"/> made for this very request with a passkey enrolled through a path the developer does
    /// not control (after an SSO sign-in, or an administrator's enrolment link) — whatever the way in (page form, JSON
    /// endpoint, a script with a scraped antiforgery token or a software authenticator); a refusal is audited and
    /// changes nothing else.
    /// </summary>
    public async Task<Result<ConsentDecision>> DecideAsync(
        string requestId, bool approve, string decidedBy, PresenceProof? presence, IdentityProof? identity, CancellationToken cancellationToken = default)
    {
        var code = approve ? Secrets.Random(32) : null;
        var decided = await writes.ExecuteAsync<Result<ConsentDecision>>(async ctx =>
        {
            var request = await ctx.Db.AuthRequests.FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
            if (request is null)
            {
                return approve ? GxError.Gone("Authorization request not found, expired or already decided.") : GxError.NotFound("Authorization request not found.");
            }

            if (request.Status != AuthRequestStatus.Pending)
            {
                return approve ? GxError.Gone("This authorization request was already decided.") : GxError.NotFound("This authorization request is not pending.");
            }

            var now = ctx.Now;
            if (approve && request.ExpiresAt <= now)
            {
                return GxError.Gone("This authorization request has expired.");
            }

            var developer = await ctx.Db.Developers.AsNoTracking().FirstAsync(d => d.Id == request.DeveloperId, cancellationToken);
            if (IdentityRefusal(developer.PrincipalAuthentication, request, identity, presence) is { } refusal)
            {
                await ctx.AppendAuditAsync(AuditDraft.For(request.AuditSubject with { GrantId = "" }, AuditActions.ConsentIdentityRefused, "anonymous",
                    AuditMetadata.With("authRequestId", request.Id).And("decision", approve ? "approve" : "deny").And("reason", refusal)
                        .And("required", IdentityLevels.ToWire(developer.PrincipalAuthentication))));
                return IdentityRequired(developer.PrincipalAuthentication);
            }

            if (identity is not null && request.HasUnnamedPrincipal && developer.PrincipalAuthentication == IdentityLevel.Sso)
            {
                request.NamePrincipal(identity.MappedValue!.Trim());
            }

            if (approve && PresenceRequired(developer.PresenceRequirement, request.Scopes)
                && (presence is null || presence.AuthRequestId != request.Id))
            {
                return GxError.Forbidden(ErrorCodes.FidoRequired, "Confirm with your passkey before approving this request.");
            }

            if (approve && await PrincipalBlocks.IsBlockedAsync(ctx.Db, request.DeveloperId, request.PrincipalId, cancellationToken))
            {
                await ctx.AppendAuditAsync(PrincipalBlocks.Audit(request.DeveloperId, request.AgentId, request.PrincipalId, "consent", decidedBy, request.Id));
                return PrincipalBlocks.Refusal(request.PrincipalId);
            }

            if (approve)
            {
                request.Approve(code!, now, now + options.Value.AuthorizationCodeLifetime, decidedBy, presence, identity);
            }
            else
            {
                request.Deny(now, decidedBy, identity, presence);
            }

            request.Version++;
            await ctx.AppendAuditAsync(request.DecisionAudit(decidedBy));
            ctx.Emit(request.DecisionEvent());
            return new ConsentDecision(request, approve, code);
        }, cancellationToken);
        if (decided.IsSuccess)
        {
            metrics.ConsentDecided(approve);
        }

        return decided;
    }

    /// <summary>Sandbox helper: approve or deny a pending request of the caller's (live developers: 403).</summary>
    public async Task<Result<ConsentDecision>> DecideAsDeveloperAsync(ApiKeyCaller caller, string requestId, bool approve, CancellationToken cancellationToken = default)
    {
        if (!caller.Developer.IsSandbox)
        {
            return GxError.Forbidden(ErrorCodes.ConsentRequired, "Live requests are decided by the person on the consent page; this helper is for sandbox keys only.");
        }

        var now = time.UtcNowMillis();
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var exists = await db.AuthRequests.AnyAsync(
                r => r.Id == requestId && r.DeveloperId == caller.Developer.Id && r.Status == AuthRequestStatus.Pending && r.ExpiresAt > now,
                cancellationToken);
            if (!exists)
            {
                return GxError.NotFound("Authorization request not found or already processed.");
            }
        }

        var result = await DecideAsync(requestId, approve, caller.Actor, presence: null, identity: null, cancellationToken);
        return result.IsSuccess || result.Error.Kind is not (GxErrorKind.Gone or GxErrorKind.NotFound)
            ? result
            : GxError.NotFound("Authorization request not found or already processed.");
    }

    /// <summary>Audits a refused decision attempt on an existing request (nothing else changes).</summary>
    public async Task RecordRefusalAsync(string requestId, AuditAction action, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var request = await db.AuthRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return;
        }

        var draft = AuditDraft.For(request.AuditSubject with { GrantId = "" }, action, "anonymous",
            AuditMetadata.With("authRequestId", request.Id).And("reason", reason));
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
    }

    /// <summary>The 403 <c>IDENTITY_REQUIRED</c> answer for a developer's level.</summary>
    public static GxError IdentityRequired(IdentityLevel required) => GxError.Forbidden(IdentityRequiredCode, required == IdentityLevel.Sso
        ? "This developer requires the person to sign in with their organisation's identity provider on the consent page before answering. Open the consentUrl in a browser and sign in."
        : "This developer requires the person to confirm with a passkey enrolled through their own sign-in or an administrator's enrolment link before answering. Open the consentUrl in a browser.");

    /// <summary>
    /// Why the proofs do not satisfy the developer's level for <paramref name="request"/>, or null when they do:
    /// <c>sso</c> needs <paramref name="identity"/>, <c>passkey</c> an independently enrolled passkey's <paramref name="presence"/>.
    /// </summary>
    public static string? IdentityRefusal(IdentityLevel required, AuthRequest request, IdentityProof? identity, PresenceProof? presence = null)
    {
        if (required == IdentityLevel.None)
        {
            return null;
        }

        if (required == IdentityLevel.Passkey)
        {
            if (presence is null)
            {
                return "no passkey confirmation for this request";
            }

            if (presence.AuthRequestId != request.Id)
            {
                return "the passkey confirmation was made for another request";
            }

            return PasskeyEnrolments.IsIndependent(presence.Enrolment)
                ? null
                : $"the passkey was enrolled through {PasskeyEnrolments.ToWire(presence.Enrolment)}, a path the developer controls, so it does not identify the person";
        }

        if (identity is null)
        {
            return "no identity-provider sign-in for this request in this browser";
        }

        if (identity.AuthRequestId != request.Id)
        {
            return "the sign-in was made for another request";
        }

        if (request.HasUnnamedPrincipal)
        {
            // An OAuth client named no one: the sign-in names the person, if it carries the principal claim.
            return string.IsNullOrWhiteSpace(identity.MappedValue) ? $"the identity provider sent no {identity.Claim} claim to name you by" : null;
        }

        return !PrincipalClaim.Matches(identity.Claim, identity.MappedValue, request.PrincipalId)
            ? $"signed in as {identity.MappedValue ?? identity.Subject}, not as {request.PrincipalId}"
            : null;
    }

    /// <summary>Audits an identity-provider sign-in made on the consent page for a request: accepted, or refused with <paramref name="reason"/>.</summary>
    public async Task RecordSignInAsync(string requestId, AuditAction action, IdentityProof proof, string? reason, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var request = await db.AuthRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return;
        }

        var draft = AuditDraft.For(request.AuditSubject with { GrantId = "" }, action, "anonymous",
            AuditMetadata.With("authRequestId", request.Id).And("connectionId", proof.ConnectionId).And("identityIssuer", proof.Issuer)
                .And("identitySubject", proof.Subject).And("signedInAs", proof.MappedValue).AndIf(reason is not null, "reason", reason));
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
    }

    public static bool PresenceRequired(PresenceRequirement requirement, IEnumerable<string> scopes) => requirement switch
    {
        PresenceRequirement.Always => true,
        PresenceRequirement.HighRiskScopes => scopes.Any(s => ScopeRegistry.Describe(s).IsHighRisk),
        _ => false,
    };

    // The consent page reads this on every view; compiled once, it skips EF's per-call query translation lookup.
    // A compiled query belongs to the provider it first ran with, so each engine has its own (tests run both in one process).
    private static readonly PerEngine<Func<GrantexDbContext, string, Task<ConsentRow?>>> ConsentRowQuery = new(CompileConsentRow);

    private static Func<GrantexDbContext, string, Task<ConsentRow?>> CompileConsentRow() => EF.CompileAsyncQuery(
        (GrantexDbContext db, string id) => db.AuthRequests.AsNoTracking().Where(r => r.Id == id)
            .Join(db.Agents.AsNoTracking(), r => r.AgentId, a => a.Id, (r, a) => new { Request = r, Agent = a })
            .Join(db.Developers.AsNoTracking(), x => x.Request.DeveloperId, d => d.Id, (x, d) => new ConsentRow(x.Request, x.Agent, d))
            .FirstOrDefault());

    private sealed record ConsentRow(AuthRequest Request, Agent Agent, Developer Developer);
}
