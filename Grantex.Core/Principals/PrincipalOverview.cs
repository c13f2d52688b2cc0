using Grantex.Core.Audit;
using Grantex.Core.Grants;

namespace Grantex.Core.Principals;

/// <summary>
/// What one page of "My grants" shows one person: the developer's name, the page's root grants (newest first) with
/// every active grant delegated below them, how many active grants, distinct agents holding them (sub-agents
/// included) and roots there are in all, and the latest audit entries about the person, newest first.
/// </summary>
public sealed record PrincipalOverview(
    string DeveloperName,
    string PrincipalId,
    IReadOnlyList<PrincipalGrant> Grants,
    IReadOnlyList<AuditEntry> RecentActivity,
    int ActiveGrants,
    int AgentCount,
    int RootCount,
    int Page,
    int PageCount)
{
    /// <summary>This page's grants a person revokes directly: roots, and delegated grants whose parent is no longer active.</summary>
    public IEnumerable<PrincipalGrant> Roots => GrantForest.Roots(Grants, g => g.Grant.Id, g => g.Grant.ParentGrantId);

    public ILookup<string, PrincipalGrant> ChildrenByParent =>
        Grants.Where(g => g.Grant.ParentGrantId is not null).ToLookup(g => g.Grant.ParentGrantId!, StringComparer.Ordinal);

    public ILookup<string, AuditEntry> ActivityByGrant => RecentActivity.Where(e => e.GrantId.Length > 0).ToLookup(e => e.GrantId, StringComparer.Ordinal);
}
