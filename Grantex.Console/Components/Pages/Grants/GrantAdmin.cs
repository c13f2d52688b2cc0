using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Grants;

namespace Grantex.Console.Components.Pages.Grants;

/// <summary>
/// The console's grant actions: lists across developers, detail, delegation trees, revocation previews and
/// revocation. Every method checks the operator's permission on the server before it touches anything.
/// </summary>
public sealed class GrantAdmin(OperatorAccess access, GrantService grants, AgentService agents, AuditService audit, DeveloperNames developers)
{
    public async Task<Result<Page<GrantRow>>> ListAsync(GrantQuery query, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list grants", cancellationToken: cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var paging = new PageRequest(query.Cursor, query.Size).Validate();
        if (!paging.IsSuccess)
        {
            return paging.Error;
        }

        var page = await grants.ListAcrossAsync(query.DeveloperId, query.Filter, paging.Value.After, paging.Value.Size, cancellationToken);
        if (!page.IsSuccess)
        {
            return page.Error;
        }

        return new Page<GrantRow>(await RowsAsync(page.Value.Items, cancellationToken), page.Value.NextCursor);
    }

    public async Task<Result<GrantDetail>> GetAsync(string grantId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "view grants", grantId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var grant = await grants.FindAsync(grantId, cancellationToken);
        if (grant is null)
        {
            return GxError.NotFound($"There is no grant {grantId}.");
        }

        var row = (await RowsAsync([grant], cancellationToken))[0];
        var tokens = await grants.ListTokensAsync(grant.Id, cancellationToken);
        var trail = await audit.ListAcrossAsync(grant.DeveloperId, new AuditFilter(GrantId: grant.Id), null, 50, cancellationToken);
        var tree = await grants.GetTreeAsync(grant.DeveloperId, grant.RootGrantId, cancellationToken);
        string? parentAgent = null;
        if (grant.ParentGrantId is { } parentId && tree.FirstOrDefault(g => g.Id == parentId) is { } parent)
        {
            parentAgent = (await agents.GetNamesAsync([parent.AgentId], cancellationToken)).GetValueOrDefault(parent.AgentId, parent.AgentId);
        }

        return new GrantDetail(row, tokens, trail.Items, tree.Count, parentAgent);
    }

    /// <summary>The whole delegation tree the grant belongs to, from its root down.</summary>
    public async Task<Result<DelegationTree>> GetTreeAsync(string grantId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "view delegation trees", grantId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var grant = await grants.FindAsync(grantId, cancellationToken);
        if (grant is null)
        {
            return GxError.NotFound($"There is no grant {grantId}.");
        }

        var rows = await grants.GetTreeAsync(grant.DeveloperId, grant.RootGrantId, cancellationToken);
        var names = await agents.GetNamesAsync(rows.Select(g => g.AgentId), cancellationToken);
        var developerNames = await developers.GetAsync(cancellationToken);
        return new DelegationTree(DelegationTree.Build(rows, grant.RootGrantId, names), grant.Id, developerNames.GetValueOrDefault(grant.DeveloperId, grant.DeveloperId));
    }

    /// <summary>What revoking the target would cut off, listed, without changing anything.</summary>
    public async Task<Result<RevocationPreview>> PreviewAsync(RevocationTarget target, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "preview revocations", target.Value, cancellationToken);
        return allowed.IsSuccess ? await grants.PreviewRevocationAsync(target, cancellationToken) : allowed.Error;
    }

    /// <summary>
    /// What revoking every active grant of <paramref name="principalId"/> would cut off under each developer that has some
    /// (principal ids belong to a developer, so the same id may name people of several developers), without changing anything.
    /// </summary>
    public async Task<Result<IReadOnlyList<(string DeveloperName, RevocationPreview Preview)>>> PreviewPrincipalEverywhereAsync(
        string principalId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "preview revocations", principalId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var found = new List<(string, RevocationPreview)>();
        foreach (var (developerId, name) in (await developers.GetAsync(cancellationToken)).Where(d => d.Key.StartsWith(Ids.Developer, StringComparison.Ordinal)).OrderBy(d => d.Value, StringComparer.Ordinal))
        {
            var preview = await grants.PreviewRevocationAsync(new RevocationTarget(RevocationScope.Principal, developerId, principalId), cancellationToken);
            if (preview.Grants.Count > 0)
            {
                found.Add((name, preview));
            }
        }

        return found;
    }

    /// <summary>Revokes the target (a grant with its descendants, or all grants of an agent or principal); returns the count.</summary>
    public async Task<Result<int>> RevokeAsync(RevocationTarget target, CancellationToken cancellationToken = default)
    {
        var verb = target.Scope switch
        {
            RevocationScope.Grant => "revoke grants",
            RevocationScope.Agent => "revoke an agent's grants",
            _ => "revoke a principal's grants",
        };
        var allowed = await access.RequireAsync(ConsolePermission.Manage, verb, target.Value, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var result = await grants.RevokeAsync(target, allowed.Value.Actor, cancellationToken);
        if (result.IsSuccess && result.Value == 0)
        {
            return GxError.NotFound("Nothing was active to revoke: it was revoked already or has no active grants.");
        }

        return result;
    }

    /// <summary>Agent and developer names for a list of grants.</summary>
    public async Task<IReadOnlyList<GrantRow>> RowsAsync(IReadOnlyList<Grant> items, CancellationToken cancellationToken = default)
    {
        var names = await agents.GetNamesAsync(items.Select(g => g.AgentId), cancellationToken);
        var developerNames = await developers.GetAsync(cancellationToken);
        return [.. items.Select(g => new GrantRow(g, names.GetValueOrDefault(g.AgentId, g.AgentId), developerNames.GetValueOrDefault(g.DeveloperId, g.DeveloperId)))];
    }
}
