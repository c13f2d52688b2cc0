using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Grantex.Core.Policies;
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
                    await AuditRefusalAsync(caller, agent, input, AuditActions.AuthorizeRedirectRefused, refusal, cancellationToken);
                    return GxError.BadRequest(refusal);
                }
            }
        }

        // Policies (api.md): a deny refuses (sandbox too); an allow approves at once, like sandbox; no match asks for consent.
        var policy = await policies.EnforceAsync(caller, input.AgentId, input.PrincipalId, scopes.Value, cancellationToken);
        if (!policy.IsSuccess)
        {
            return policy.Error;
        }

        var sandbox = caller.Developer.IsSandbox;
        var allowedBy = policy.Value.IsAllowed ? policy.Value.Policy : null;
        var code = sandbox || allowedBy is not null ? Secrets.Random(32) : null;
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
                ExpiresAt = code is not null ? now + options.Value.AuthorizationCodeLifetime : now + options.Value.ConsentRequestLifetime,
                Status = code is not null ? AuthRequestStatus.Approved : AuthRequestStatus.Pending,
            };
            if (code is not null)
            {
                request.Approve(code, now, now + options.Value.AuthorizationCodeLifetime, sandbox ? "sandbox" : "policy", presence: null);
                await ctx.AppendAuditAsync(request.DecisionAudit(caller.Actor, allowedBy));
            }

            ctx.Db.AuthRequests.Add(request);
            return new AuthorizeResult(request, ConsentUrl(request.Id), code, sandbox, allowedBy);
        }, cancellationToken);
    }

    public string ConsentUrl(string requestId) => $"{options.Value.Issuer}/consent?req={Uri.EscapeDataString(requestId)}";

    private async Task AuditRefusalAsync(ApiKeyCaller caller, Agent agent, AuthorizeInput input, AuditAction action, string reason, CancellationToken cancellationToken)
    {
        var draft = AuditDraft.For(new AuditSubject(caller.Developer.Id, agent.Id, "", input.PrincipalId!), action, caller.Actor,
            AuditMetadata.With("reason", reason).And("redirectUri", input.RedirectUri));
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
    }

}
