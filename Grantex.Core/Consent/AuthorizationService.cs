using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Identity;
using Grantex.Core.Persistence;
using Grantex.Core.Policies;
using Grantex.Core.Principals;
using Grantex.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Consent;

/// <summary>
/// Creates authorization requests (wire format §3.4): validates the would-be grant, the agent and its redirect URI, and
/// stores a pending request for the person to decide on the consent page (<see cref="ConsentService"/>), or — for
/// sandbox keys — an approved one with its code at once.
/// </summary>
public sealed class AuthorizationService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    PolicyEnforcement policies,
    PolicySetCache policySets,
    IOptions<GrantexOptions> options,
    GrantexMetrics metrics)
{
    public async Task<Result<AuthorizeResult>> AuthorizeAsync(ApiKeyCaller caller, AuthorizeInput input, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(input.AgentId) || string.IsNullOrEmpty(input.PrincipalId) || input.Scopes is null or { Count: 0 })
        {
            return GxError.Required(("agentId", input.AgentId), ("principalId", input.PrincipalId), ("scopes", input.Scopes));
        }

        if (input.AgentId.Length > 256 || !Validate.Text(input.PrincipalId, 256))
        {
            return GxError.BadRequest("agentId and principalId must be 1 to 256 characters.", input.AgentId.Length > 256 ? "agentId" : "principalId");
        }

        var scopes = Validate.Scopes(input.Scopes, required: true);
        if (!scopes.IsSuccess)
        {
            return scopes.Error;
        }

        if (input.RedirectUri is not null && !Validate.RedirectUri(input.RedirectUri))
        {
            return GxError.BadRequest("redirectUri must be an absolute http(s) URL without credentials or fragment.", "redirectUri");
        }

        if (input.RedirectUri is not null && !caller.Developer.IsSandbox && !Validate.LiveRedirectUri(input.RedirectUri))
        {
            // Registration refuses these for live developers; this catches URIs registered before that rule.
            return GxError.BadRequest(Validate.LiveRedirectUriRule("redirectUri", input.RedirectUri));
        }

        if (input.State is { Length: > 1024 })
        {
            return GxError.BadRequest("state must be at most 1024 characters.", "state");
        }

        if (input.Audience is not null && !Validate.Text(input.Audience, 1024))
        {
            return GxError.BadRequest("audience must be 1 to 1024 characters.", "audience");
        }

        var challenge = OneSpelling(input.CodeChallenge, input.CodeChallengeAlias, "codeChallenge", "code_challenge");
        var method = OneSpelling(input.CodeChallengeMethod, input.CodeChallengeMethodAlias, "codeChallengeMethod", "code_challenge_method");
        if (!challenge.IsSuccess)
        {
            return challenge.Error;
        }

        if (!method.IsSuccess)
        {
            return method.Error;
        }

        if ((challenge.Value is null) != (method.Value is null))
        {
            return GxError.BadRequest("codeChallenge and codeChallengeMethod must be sent together.", input.CodeChallenge is null ? "codeChallenge" : "codeChallengeMethod");
        }

        if (method.Value is not null && method.Value != "S256")
        {
            return GxError.BadRequest("codeChallengeMethod must be S256 (plain is not accepted).", "codeChallengeMethod");
        }

        if (challenge.Value is not null && !Pkce.IsValidChallenge(challenge.Value))
        {
            return GxError.BadRequest("codeChallenge must be 43 characters of base64url (the S256 hash of the verifier).", "codeChallenge");
        }

        if (!Durations.TryParse(input.ExpiresIn ?? "24h", out var lifetime) || lifetime > options.Value.MaxGrantLifetime)
        {
            return GxError.BadRequest($"Invalid expiresIn format. Use e.g. \"1h\", \"30m\", \"24h\" (at most {options.Value.MaxGrantLifetime.TotalDays:0} days).", "expiresIn");
        }

        CompiledPolicySet developerPolicies;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            // One open for the reads below (agent, principal block, policies on a cache miss) instead of one per query.
            await db.Database.OpenConnectionAsync(cancellationToken);
            var agent = await ActiveAgent.For(db)(db, input.AgentId, caller.Developer.Id);
            if (agent is null)
            {
                return GxError.NotFound("Agent not found.");
            }

            if (input.RedirectUri is not null)
            {
                var refusal = agent.RedirectUris.Count == 0
                    ? $"Agent {agent.Id} has no registered redirect URIs. Register one first with PATCH /v1/agents/{agent.Id} {{\"redirectUris\": [\"{input.RedirectUri}\"]}}."
                    : RedirectUriMatch.Matches(agent.RedirectUris, input.RedirectUri, input.LoopbackAnyPort) ? null
                    : "redirectUri does not exactly match any of the agent's registered redirect URIs.";
                if (refusal is not null)
                {
                    await AuditRefusalAsync(caller, agent, input, AuditActions.AuthorizeRedirectRefused, refusal, cancellationToken);
                    return GxError.BadRequest(refusal, "redirectUri");
                }
            }

            if (await PrincipalBlocks.IsBlockedAsync(db, caller.Developer.Id, input.PrincipalId, cancellationToken))
            {
                var draft = PrincipalBlocks.Audit(caller.Developer.Id, agent.Id, input.PrincipalId, "authorize", caller.Actor);
                await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
                return PrincipalBlocks.Refusal(input.PrincipalId);
            }

            developerPolicies = await policySets.GetAsync(db, caller.Developer.Id, cancellationToken);
        }

        // Policies (api.md): a deny refuses (sandbox too); an allow approves at once, like sandbox; no match asks for consent.
        var policy = await policies.EnforceAsync(caller, developerPolicies, input.AgentId, input.PrincipalId, scopes.Value, cancellationToken);
        if (!policy.IsSuccess)
        {
            return policy.Error;
        }

        var sandbox = caller.Developer.IsSandbox;
        // A developer who requires sso or passkey has promised that only the person decides: its own allow policies
        // no longer approve on the person's behalf (deny policies still refuse).
        var allowedBy = policy.Value.IsAllowed && caller.Developer.PrincipalAuthentication == IdentityLevel.None ? policy.Value.Policy : null;
        var code = sandbox || allowedBy is not null ? Secrets.Random(32) : null;
        var authorized = await writes.ExecuteAsync<Result<AuthorizeResult>>(async ctx =>
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
                CodeChallenge = challenge.Value,
                CreatedAt = now,
                ExpiresAt = code is not null ? now + options.Value.AuthorizationCodeLifetime : now + options.Value.ConsentRequestLifetime,
                Status = code is not null ? AuthRequestStatus.Approved : AuthRequestStatus.Pending,
            };
            if (code is not null)
            {
                request.Approve(code, now, now + options.Value.AuthorizationCodeLifetime, sandbox ? "sandbox" : "policy", presence: null);
                await ctx.AppendAuditAsync(request.DecisionAudit(caller.Actor, allowedBy));
                ctx.Emit(request.DecisionEvent(allowedBy));
            }

            await ctx.InsertAsync(request);
            return new AuthorizeResult(request, ConsentUrl(request.Id), code, sandbox, allowedBy);
        }, cancellationToken);
        if (code is not null && authorized.IsSuccess)
        {
            // Approved at once by the sandbox or an allow policy: a decision like a person's.
            metrics.ConsentDecided(approved: true);
        }

        return authorized;
    }

    // Compiled once: runs on every authorize (EF's per-query expression work otherwise costs more than the lookup).
    private static readonly PerEngine<Func<GrantexDbContext, string, string, Task<Agent?>>> ActiveAgent = new(() => EF.CompileAsyncQuery(
        (GrantexDbContext db, string agentId, string developerId) =>
            db.Agents.AsNoTracking().FirstOrDefault(a => a.Id == agentId && a.DeveloperId == developerId && a.Status == AgentStatus.Active)));

    public string ConsentUrl(string requestId) => $"{options.Value.Issuer}/consent?req={Uri.EscapeDataString(requestId)}";

    /// <summary>
    /// A PKCE field under its Grantex name or its OAuth alias: either is accepted, both only when they agree, so a
    /// client's PKCE is never dropped because of its spelling and never ambiguous.
    /// </summary>
    private static Result<string?> OneSpelling(string? camel, string? snake, string camelName, string snakeName) =>
        camel is not null && snake is not null && !string.Equals(camel, snake, StringComparison.Ordinal)
            ? GxError.BadRequest($"{camelName} and {snakeName} were both sent with different values; send one of them.")
            : Result<string?>.Ok(camel ?? snake);

    private async Task AuditRefusalAsync(ApiKeyCaller caller, Agent agent, AuthorizeInput input, AuditAction action, string reason, CancellationToken cancellationToken)
    {
        var draft = AuditDraft.For(new AuditSubject(caller.Developer.Id, agent.Id, "", input.PrincipalId!), action, caller.Actor,
            AuditMetadata.With("reason", reason).And("redirectUri", input.RedirectUri));
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
    }

}
