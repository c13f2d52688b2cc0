using System.Text.Json;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Consent;

/// <summary>Authorization requests and the decisions on them (wire format §3.4–3.5; api.md, Authorization and consent).</summary>
public sealed class AuthorizationService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    TimeProvider time,
    IOptions<GrantexOptions> options)
{
    public async Task<Result<AuthorizeResult>> AuthorizeAsync(ApiKeyCaller caller, AuthorizeInput input, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(input.AgentId) || string.IsNullOrEmpty(input.PrincipalId) || input.Scopes is null or { Count: 0 })
        {
            return GxError.BadRequest("agentId, principalId, and scopes are required.");
        }

        if (input.AgentId.Length > 256 || !Validate.Text(input.PrincipalId, 256))
        {
            return GxError.BadRequest("agentId and principalId must be 1 to 256 characters.");
        }

        var scopes = Validate.Scopes(input.Scopes, required: true);
        if (!scopes.IsSuccess)
        {
            return scopes.Error;
        }

        if (input.RedirectUri is not null && !Validate.RedirectUri(input.RedirectUri))
        {
            return GxError.BadRequest("redirectUri must be an absolute http(s) URL without credentials or fragment.");
        }

        if (input.State is { Length: > 1024 })
        {
            return GxError.BadRequest("state must be at most 1024 characters.");
        }

        if (input.Audience is not null && !Validate.Text(input.Audience, 1024))
        {
            return GxError.BadRequest("audience must be 1 to 1024 characters.");
        }

        if ((input.CodeChallenge is null) != (input.CodeChallengeMethod is null))
        {
            return GxError.BadRequest("codeChallenge and codeChallengeMethod must be sent together.");
        }

        if (input.CodeChallengeMethod is not null && input.CodeChallengeMethod != "S256")
        {
            return GxError.BadRequest("codeChallengeMethod must be S256 (plain is not accepted).");
        }

        if (input.CodeChallenge is not null && !Pkce.IsValidChallenge(input.CodeChallenge))
        {
            return GxError.BadRequest("codeChallenge must be 43 characters of base64url (the S256 hash of the verifier).");
        }

        if (!Durations.TryParse(input.ExpiresIn ?? "24h", out var lifetime) || lifetime > options.Value.MaxGrantLifetime)
        {
            return GxError.BadRequest($"Invalid expiresIn format. Use e.g. \"1h\", \"30m\", \"24h\" (at most {options.Value.MaxGrantLifetime.TotalDays:0} days).");
        }

        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(
                a => a.Id == input.AgentId && a.DeveloperId == caller.Developer.Id && a.Status == AgentStatus.Active, cancellationToken);
            if (agent is null)
            {
                return GxError.NotFound("Agent not found.");
            }

            if (input.RedirectUri is not null)
            {
                var refusal = agent.RedirectUris.Count == 0
                    ? $"Agent {agent.Id} has no registered redirect URIs. Register one first with PATCH /v1/agents/{agent.Id} {{\"redirectUris\": [\"{input.RedirectUri}\"]}}."
                    : agent.RedirectUris.Contains(input.RedirectUri, StringComparer.Ordinal) ? null
                    : "redirectUri does not exactly match any of the agent's registered redirect URIs.";
                if (refusal is not null)
                {
                    await AuditRefusalAsync(caller, agent, input, "authorize.redirect_refused", refusal, cancellationToken);
                    return GxError.BadRequest(refusal);
                }
            }
        }

        var sandbox = caller.Developer.IsSandbox;
        var code = sandbox ? Secrets.Random(32) : null;
        return await writes.ExecuteAsync<Result<AuthorizeResult>>(async ctx =>
        {
            var now = ctx.Now;
            var request = new AuthRequest
            {
                Id = Ids.New(Ids.AuthRequest),
                DeveloperId = caller.Developer.Id,
                AgentId = input.AgentId,
                PrincipalId = input.PrincipalId,
                Scopes = scopes.Value,
                RedirectUri = input.RedirectUri,
                State = input.State,
                Audience = input.Audience,
                GrantLifetimeSeconds = (long)lifetime.TotalSeconds,
                CodeChallenge = input.CodeChallenge,
                CreatedAt = now,
                ExpiresAt = sandbox ? now + options.Value.AuthorizationCodeLifetime : now + options.Value.ConsentRequestLifetime,
                Status = sandbox ? AuthRequestStatus.Approved : AuthRequestStatus.Pending,
            };
            if (code is not null)
            {
                Approve(request, code, now, "sandbox", presence: null);
                await ctx.AppendAuditAsync(DecisionAudit(request, "consent.approved", caller.Actor));
            }

            ctx.Db.AuthRequests.Add(request);
            return new AuthorizeResult(request, ConsentUrl(request.Id), code, sandbox);
        }, cancellationToken);
    }

    public string ConsentUrl(string requestId) => $"{options.Value.Issuer}/consent?req={Uri.EscapeDataString(requestId)}";

    /// <summary>A request as the consent page needs it; <see cref="GxErrorKind.Gone"/> once it is decided or expired.</summary>
    public async Task<Result<ConsentView>> GetForConsentAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var lookup = await LookupForConsentAsync(requestId, cancellationToken);
        return lookup.State switch
        {
            ConsentLookupState.Pending => lookup.View!,
            ConsentLookupState.NotFound => GxError.NotFound("Authorization request not found."),
            ConsentLookupState.Expired => new GxError(GxErrorKind.Gone, ErrorCodes.Gone, "This authorization request has expired."),
            _ => new GxError(GxErrorKind.Gone, ErrorCodes.Gone, $"This authorization request was already {lookup.View!.Request.Status.ToString().ToLowerInvariant()}."),
        };
    }

    /// <summary>The request with its agent and developer, and where it stands: pending, expired, approved, denied or unknown.</summary>
    public async Task<ConsentLookup> LookupForConsentAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await ConsentRowQuery(db, requestId);
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

    /// <summary>
    /// Records the person's decision exactly once. Approve needs the request pending and unexpired and, when the
    /// developer requires presence for these scopes, a passkey proof made for this very request.
    /// </summary>
    public async Task<Result<ConsentDecision>> DecideAsync(
        string requestId, bool approve, string decidedBy, PresenceProof? presence, CancellationToken cancellationToken = default)
    {
        var code = approve ? Secrets.Random(32) : null;
        return await writes.ExecuteAsync<Result<ConsentDecision>>(async ctx =>
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
            if (approve && PresenceRequired(developer.PresenceRequirement, request.Scopes)
                && (presence is null || presence.AuthRequestId != request.Id))
            {
                return GxError.Forbidden(ErrorCodes.FidoRequired, "Confirm with your passkey before approving this request.");
            }

            if (approve)
            {
                Approve(request, code!, now, decidedBy, presence);
            }
            else
            {
                request.Status = AuthRequestStatus.Denied;
                request.DecidedAt = now;
                request.DecidedBy = decidedBy;
            }

            request.Version++;
            await ctx.AppendAuditAsync(DecisionAudit(request, approve ? "consent.approved" : "consent.denied", decidedBy));
            return new ConsentDecision(request, approve, code);
        }, cancellationToken);
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

        var result = await DecideAsync(requestId, approve, caller.Actor, presence: null, cancellationToken);
        return result.IsSuccess || result.Error.Kind is not (GxErrorKind.Gone or GxErrorKind.NotFound)
            ? result
            : GxError.NotFound("Authorization request not found or already processed.");
    }

    /// <summary>Audits a refused decision attempt on an existing request (nothing else changes).</summary>
    public async Task RecordRefusalAsync(string requestId, string action, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var request = await db.AuthRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return;
        }

        var metadata = AuditHash.Canonicalize(JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["authRequestId"] = request.Id, ["reason"] = reason }));
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(new AuditDraft(
            request.DeveloperId, request.AgentId, Ids.AgentDid(request.AgentId), "", request.PrincipalId, action, metadata, AuditDraft.Blocked, "anonymous")), cancellationToken);
    }

    // The consent page reads this on every view; compiled once, it skips EF's per-call query translation lookup.
    private static readonly Func<GrantexDbContext, string, Task<ConsentRow?>> ConsentRowQuery = EF.CompileAsyncQuery(
        (GrantexDbContext db, string id) => db.AuthRequests.AsNoTracking().Where(r => r.Id == id)
            .Join(db.Agents.AsNoTracking(), r => r.AgentId, a => a.Id, (r, a) => new { Request = r, Agent = a })
            .Join(db.Developers.AsNoTracking(), x => x.Request.DeveloperId, d => d.Id, (x, d) => new ConsentRow(x.Request, x.Agent, d))
            .FirstOrDefault());

    public static bool PresenceRequired(PresenceRequirement requirement, IEnumerable<string> scopes) => requirement switch
    {
        PresenceRequirement.Always => true,
        PresenceRequirement.HighRiskScopes => scopes.Any(s => Scopes.ScopeRegistry.Describe(s).IsHighRisk),
        _ => false,
    };

    private void Approve(AuthRequest request, string code, DateTime now, string decidedBy, PresenceProof? presence)
    {
        request.Status = AuthRequestStatus.Approved;
        request.CodeHash = Secrets.Sha256Hex(code);
        request.CodeExpiresAt = now + options.Value.AuthorizationCodeLifetime;
        request.DecidedAt = now;
        request.DecidedBy = decidedBy.Length > 32 ? decidedBy[..32] : decidedBy;
        if (presence is not null)
        {
            request.PresenceCredentialId = presence.CredentialId;
            request.PresenceVerifiedAt = presence.VerifiedAt;
            request.PresenceUserVerified = presence.UserVerified;
        }
    }

    private async Task AuditRefusalAsync(ApiKeyCaller caller, Agent agent, AuthorizeInput input, string action, string reason, CancellationToken cancellationToken)
    {
        var metadata = AuditHash.Canonicalize(JsonSerializer.SerializeToElement(new Dictionary<string, string?>
        {
            ["reason"] = reason,
            ["redirectUri"] = input.RedirectUri,
        }));
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(new AuditDraft(
            caller.Developer.Id, agent.Id, agent.Did, "", input.PrincipalId!, action, metadata, AuditDraft.Blocked, caller.Actor)), cancellationToken);
    }

    private static AuditDraft DecisionAudit(AuthRequest request, string action, string actor)
    {
        var metadata = AuditHash.Canonicalize(JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["authRequestId"] = request.Id,
            ["scopes"] = request.Scopes,
            ["presence"] = request.PresenceCredentialId is not null,
        }));
        return new AuditDraft(request.DeveloperId, request.AgentId, Ids.AgentDid(request.AgentId), "", request.PrincipalId, action, metadata,
            AuditDraft.Success, actor);
    }

    private sealed record ConsentRow(AuthRequest Request, Agent Agent, Developer Developer);
}
