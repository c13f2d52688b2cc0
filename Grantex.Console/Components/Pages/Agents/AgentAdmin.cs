using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Agents;
using Grantex.Core.Common;
using Grantex.Core.Grants;

namespace Grantex.Console.Components.Pages.Agents;

/// <summary>The console's agent actions (list, detail, create, edit, suspend, delete), each permission-checked on the server.</summary>
public sealed class AgentAdmin(OperatorAccess access, AgentService agents, GrantService grants, DeveloperNames developers)
{
    public async Task<Result<Page<AgentRow>>> ListAsync(
        string? developerId, AgentStatus? status, string? cursor, int size, string? nameContains = null, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list agents", cancellationToken: cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        if (status == AgentStatus.Deleted)
        {
            return GxError.BadRequest("Deleted agents are not listed.");
        }

        var paging = new PageRequest(cursor, size).Validate();
        if (!paging.IsSuccess)
        {
            return paging.Error;
        }

        if (nameContains?.Length > 200)
        {
            return GxError.BadRequest("Search for at most 200 characters.");
        }

        var page = await agents.ListAcrossAsync(developerId, status, paging.Value.After, paging.Value.Size, nameContains, cancellationToken);
        var names = await developers.GetAsync(cancellationToken);
        return new Page<AgentRow>([.. page.Items.Select(a => new AgentRow(a, names.GetValueOrDefault(a.DeveloperId, a.DeveloperId)))], page.NextCursor);
    }

    public async Task<Result<AgentRow>> GetAsync(string agentId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "view agents", agentId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var agent = await agents.FindAsync(agentId, cancellationToken);
        if (agent is null || agent.Status == AgentStatus.Deleted)
        {
            return GxError.NotFound($"There is no agent {agentId}.");
        }

        var names = await developers.GetAsync(cancellationToken);
        return new AgentRow(agent, names.GetValueOrDefault(agent.DeveloperId, agent.DeveloperId));
    }

    /// <summary>What deleting (or revoking every grant of) the agent would cut off now.</summary>
    public async Task<Result<RevocationPreview>> ImpactAsync(string agentId, CancellationToken cancellationToken = default)
    {
        var agent = await GetAsync(agentId, cancellationToken);
        return agent.IsSuccess
            ? await grants.PreviewRevocationAsync(new RevocationTarget(RevocationScope.Agent, agent.Value.Agent.DeveloperId, agentId), cancellationToken)
            : agent.Error;
    }

    public async Task<Result<Agent>> CreateAsync(string developerId, AgentInput input, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "create agents", developerId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var names = await developers.GetAsync(cancellationToken);
        if (!developerId.StartsWith(Ids.Developer, StringComparison.Ordinal) || !names.ContainsKey(developerId))
        {
            return GxError.BadRequest("Choose the developer the agent belongs to.");
        }

        return await agents.CreateAsync(developerId, input, allowed.Value.Actor, cancellationToken);
    }

    /// <summary>Changes name, description, scopes, redirect URIs or status; refused with a conflict if someone else changed it first.</summary>
    public async Task<Result<Agent>> UpdateAsync(string agentId, AgentInput input, CancellationToken cancellationToken = default)
    {
        var action = input.Status switch
        {
            AgentStatus.Suspended => "suspend agents",
            AgentStatus.Active => "reactivate agents",
            _ => "edit agents",
        };
        var allowed = await access.RequireAsync(ConsolePermission.Manage, action, agentId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var agent = await agents.FindAsync(agentId, cancellationToken);
        if (agent is null || agent.Status == AgentStatus.Deleted)
        {
            return GxError.NotFound($"There is no agent {agentId}.");
        }

        return await agents.UpdateAsync(agent.DeveloperId, agentId, input, allowed.Value.Actor, cancellationToken);
    }

    /// <summary>Deletes the agent and revokes every grant it holds (with descendants); returns how many grants were revoked.</summary>
    public async Task<Result<int>> DeleteAsync(string agentId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "delete agents", agentId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var agent = await agents.FindAsync(agentId, cancellationToken);
        if (agent is null || agent.Status == AgentStatus.Deleted)
        {
            return GxError.NotFound($"There is no agent {agentId}.");
        }

        return await agents.DeleteAsync(agent.DeveloperId, agentId, allowed.Value.Actor, cancellationToken);
    }
}
