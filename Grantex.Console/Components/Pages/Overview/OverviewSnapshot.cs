using Grantex.Core.Audit;
using Grantex.Core.Grants;

namespace Grantex.Console.Components.Pages.Overview;

/// <summary>The overview's numbers: agents, grants, audit entries, grant activity per day and the latest audit entries.</summary>
public sealed record OverviewSnapshot(
    int Agents,
    GrantCounts Grants,
    long AuditEntries,
    IReadOnlyList<DailyGrantActivity> Activity,
    IReadOnlyList<AuditEntry> Recent);
