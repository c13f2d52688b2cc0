using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Agents;

/// <summary>Agent registration and management, shared by the REST API and the console.</summary>
public sealed partial class AgentService(
    IDbContextFactory<GrantexDbContext> factory, WriteQueue writes, GrantRevoker revoker, RevocationIndex revocations, ChangeNotifier changes)
{
    public async Task<Result<Agent>> CreateAsync(string developerId, AgentInput input, string actor, CancellationToken cancellationToken = default)
    {
        if (!Validate.Text(input.Name, 200))
        {
            return GxError.BadRequest("name is required (1 to 200 characters).", "name");
        }

        var lists = DescriptionAndLists(input);
        if (!lists.IsSuccess)
        {
            return lists.Error;
        }

        var (scopes, redirects) = lists.Value;

        return await writes.ExecuteAsync<Result<Agent>>(async ctx =>
        {
            if (await InsecureRedirectAsync(ctx, developerId, redirects, cancellationToken) is { } refusal)
            {
                return refusal;
            }

            var agent = new Agent
            {
                Id = Ids.New(Ids.Agent),
                DeveloperId = developerId,
                Name = input.Name!.Trim(),
                Description = input.Description ?? "",
                Scopes = scopes,
                RedirectUris = redirects,
                Status = AgentStatus.Active,
                CreatedAt = ctx.Now,
                UpdatedAt = ctx.Now,
            };
            ctx.Db.Agents.Add(agent);
            await ctx.AppendAuditAsync(AgentAudit(agent, AuditActions.AgentCreated, actor));
            ctx.AfterCommit(() => changes.Publish(ChangeKind.AgentChanged, developerId, agent.Id));
            return agent;
        }, cancellationToken);
    }

    public Task<Page<Agent>> ListAsync(string developerId, Cursor? after, int size, CancellationToken cancellationToken = default) =>
        ListAcrossAsync(developerId, null, after, size, cancellationToken: cancellationToken);

    public async Task<Agent?> GetAsync(string developerId, string agentId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Agents.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == agentId && a.DeveloperId == developerId && a.Status != AgentStatus.Deleted, cancellationToken);
    }

    public async Task<Result<Agent>> UpdateAsync(string developerId, string agentId, AgentInput input, string actor, CancellationToken cancellationToken = default)
    {
        if (input.Name is null && input.Description is null && input.Scopes is null && input.RedirectUris is null && input.Status is null)
        {
            return GxError.BadRequest("No fields to update.");
        }

        if (input.Name is not null && !Validate.Text(input.Name, 200))
        {
            return GxError.BadRequest("name must be 1 to 200 characters.", "name");
        }

        if (input.Status == AgentStatus.Deleted)
        {
            return GxError.BadRequest("status must be active or suspended.", "status");
        }

        var lists = DescriptionAndLists(input);
        if (!lists.IsSuccess)
        {
            return lists.Error;
        }

        var (scopes, redirects) = lists.Value;

        return await writes.ExecuteAsync<Result<Agent>>(async ctx =>
        {
            var agent = await ctx.Db.Agents.FirstOrDefaultAsync(a => a.Id == agentId && a.DeveloperId == developerId && a.Status != AgentStatus.Deleted, cancellationToken);
            if (agent is null)
            {
                return GxError.NotFound("Agent not found.");
            }

            if (input.ExpectedVersion is { } expected && expected != agent.Version)
            {
                return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict, "The agent was changed by someone else. Reload and try again.");
            }

            if (input.RedirectUris is not null && await InsecureRedirectAsync(ctx, developerId, redirects, cancellationToken) is { } refusal)
            {
                return refusal;
            }

            agent.Name = input.Name?.Trim() ?? agent.Name;
            agent.Description = input.Description ?? agent.Description;
            agent.Scopes = input.Scopes is null ? agent.Scopes : scopes;
            agent.RedirectUris = input.RedirectUris is null ? agent.RedirectUris : redirects;
            var statusChanged = input.Status is { } s && s != agent.Status;
            agent.Status = input.Status ?? agent.Status;
            agent.UpdatedAt = ctx.Now;
            agent.Version++;
            await ctx.AppendAuditAsync(AgentAudit(agent, statusChanged ? StatusAction(agent.Status) : AuditActions.AgentUpdated, actor));
            var suspended = agent.Status == AgentStatus.Suspended;
            if (statusChanged)
            {
                await RevocationSync.AnnounceAgentAsync(ctx, agentId, suspended);
            }

            ctx.AfterCommit(() =>
            {
                // Online verification reads suspension from memory: after the commit, before the caller's answer.
                revocations.SetAgentSuspended(agentId, suspended);
                changes.Publish(ChangeKind.AgentChanged, developerId, agentId);
            });
            return agent;
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes an agent: it disappears from the API and every grant it holds (with their delegated descendants)
    /// is revoked in the same transaction. The row is kept, marked deleted, so grants and audit evidence stay whole.
    /// </summary>
    public async Task<Result<int>> DeleteAsync(string developerId, string agentId, string actor, CancellationToken cancellationToken = default)
    {
        return await writes.ExecuteAsync<Result<int>>(async ctx =>
        {
            var agent = await ctx.Db.Agents.FirstOrDefaultAsync(a => a.Id == agentId && a.DeveloperId == developerId && a.Status != AgentStatus.Deleted, cancellationToken);
            if (agent is null)
            {
                return GxError.NotFound("Agent not found.");
            }

            agent.Status = AgentStatus.Deleted;
            agent.UpdatedAt = ctx.Now;
            agent.Version++;
            await ctx.Db.SaveChangesAsync(cancellationToken);
            var revoked = await revoker.RevokeAgentAsync(ctx, developerId, agentId, actor, "agent_deleted", cancellationToken);
            await ctx.AppendAuditAsync(AgentAudit(agent, AuditActions.AgentDeleted, actor, AuditMetadata.With("revokedGrants", revoked)));
            await RevocationSync.AnnounceAgentAsync(ctx, agentId, false);
            ctx.AfterCommit(() =>
            {
                revocations.SetAgentSuspended(agentId, false);
                changes.Publish(ChangeKind.AgentChanged, developerId, agentId);
            });
            return revoked;
        }, cancellationToken);
    }

    /// <summary>The rules create and update share: description length, scopes, redirect URIs.</summary>
    private static Result<(List<string> Scopes, List<string> RedirectUris)> DescriptionAndLists(AgentInput input)
    {
        if (!Validate.Text(input.Description, 2000, required: false))
        {
            return GxError.BadRequest("description must be a string of at most 2000 characters.", "description");
        }

        var scopes = Validate.Scopes(input.Scopes, required: false);
        if (!scopes.IsSuccess)
        {
            return scopes.Error;
        }

        var redirects = RedirectUris(input.RedirectUris);
        return redirects.IsSuccess ? (scopes.Value, redirects.Value) : redirects.Error;
    }

    private static Result<List<string>> RedirectUris(IReadOnlyList<string?>? uris)
    {
        if (uris is null)
        {
            return new List<string>();
        }

        if (uris.Count > 20)
        {
            return GxError.BadRequest("Too many redirectUris (max 20).", "redirectUris");
        }

        foreach (var uri in uris)
        {
            if (!Validate.RedirectUri(uri))
            {
                return GxError.BadRequest($"redirectUris must be absolute http(s) URLs without credentials or fragment: '{uri}'.", "redirectUris");
            }
        }

        return uris.Distinct(StringComparer.Ordinal).ToList()!;
    }

    /// <summary>A live developer's agent may only register https (or loopback http) redirect URIs; sandbox keeps http.</summary>
    private static async Task<GxError?> InsecureRedirectAsync(WriteContext ctx, string developerId, List<string> redirects, CancellationToken cancellationToken)
    {
        if (redirects.Count == 0)
        {
            return null;
        }

        var mode = await ctx.Db.Developers.AsNoTracking().Where(d => d.Id == developerId).Select(d => (DeveloperMode?)d.Mode).FirstOrDefaultAsync(cancellationToken);
        var insecure = mode == DeveloperMode.Sandbox ? null : redirects.FirstOrDefault(u => !Validate.LiveRedirectUri(u));
        return insecure is null ? null : GxError.BadRequest(Validate.LiveRedirectUriRule("redirectUris:", insecure));
    }

    private static AuditDraft AgentAudit(Agent agent, AuditAction action, string actor, AuditMetadata? metadata = null) =>
        AuditDraft.For(new AuditSubject(agent.DeveloperId, agent.Id), action, actor, metadata);

    /// <summary>The action recorded when an agent's status changes.</summary>
    private static AuditAction StatusAction(AgentStatus status) => status switch
    {
        AgentStatus.Active => AuditActions.AgentActive,
        AgentStatus.Suspended => AuditActions.AgentSuspended,
        _ => AuditActions.AgentDeleted,
    };
}
