using Grantex.Core.Grants;

namespace Grantex.Console.Components.Pages.Grants;

/// <summary>A whole delegation tree (root to leaves) and the grant the person asked about.</summary>
public sealed record DelegationTree(DelegationNode Root, string FocusGrantId, string DeveloperName)
{
    public int Count => Root.Flatten().Count();

    public int MaxDepth => Root.Flatten().Max(n => n.Grant.DelegationDepth);

    public DelegationNode? Find(string grantId) => Root.Flatten().FirstOrDefault(n => n.Grant.Id == grantId);

    /// <summary>Builds the tree from the flat rows of <see cref="GrantService.GetTreeAsync"/>.</summary>
    public static DelegationNode Build(IReadOnlyList<Grant> grants, string rootId, IReadOnlyDictionary<string, string> agentNames)
    {
        var byParent = grants.Where(g => g.ParentGrantId is not null).ToLookup(g => g.ParentGrantId!, StringComparer.Ordinal);
        DelegationNode Node(Grant g) => new(
            g,
            agentNames.GetValueOrDefault(g.AgentId, g.AgentId),
            [.. byParent[g.Id].OrderBy(c => c.IssuedAt).ThenBy(c => c.Id, StringComparer.Ordinal).Select(Node)]);
        return Node(grants.First(g => g.Id == rootId));
    }
}
