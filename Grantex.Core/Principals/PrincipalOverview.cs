using Grantex.Core.Audit;

namespace Grantex.Core.Principals;

/// <summary>
/// What the "My grants" page shows one person: the developer's name, every active grant (root grants first, their
/// delegated children by parent) and the latest audit entries about the person, newest first.
/// </summary>
public sealed record PrincipalOverview(
    string DeveloperName,
    string PrincipalId,
    IReadOnlyList<PrincipalGrant> Grants,
    IReadOnlyList<AuditEntry> RecentActivity)
{
    /// <summary>The grants a person revokes directly: roots, and delegated grants whose parent is no longer active.</summary>
    public IEnumerable<PrincipalGrant> Roots
    {
        get
        {
            var ids = Grants.Select(g => g.Grant.Id).ToHashSet(StringComparer.Ordinal);
            return Grants.Where(g => g.Grant.ParentGrantId is null || !ids.Contains(g.Grant.ParentGrantId));
        }
    }

    public ILookup<string, PrincipalGrant> ChildrenByParent =>
        Grants.Where(g => g.Grant.ParentGrantId is not null).ToLookup(g => g.Grant.ParentGrantId!, StringComparer.Ordinal);

    public ILookup<string, AuditEntry> ActivityByGrant => RecentActivity.Where(e => e.GrantId.Length > 0).ToLookup(e => e.GrantId, StringComparer.Ordinal);
}
