using Grantex.Console.Components.Account;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Grants;

namespace Grantex.Console.Components.Pages.Overview;

/// <summary>The overview screen's data for one developer or all.</summary>
public sealed class OverviewAdmin(OperatorAccess access, AgentService agents, GrantService grants, AuditService audit)
{
    public const int Days = 14;

    public async Task<Result<OverviewSnapshot>> GetAsync(string? developerId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "view the overview", cancellationToken: cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var recent = await audit.ListAcrossAsync(developerId, new AuditFilter(), null, 8, cancellationToken);
        return new OverviewSnapshot(
            await agents.CountAsync(developerId, cancellationToken),
            await grants.CountAsync(developerId, cancellationToken),
            await audit.CountAsync(developerId, cancellationToken),
            await grants.DailyActivityAsync(developerId, Days, cancellationToken),
            recent.Items);
    }
}
