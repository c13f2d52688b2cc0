using Grantex.Core.Grants;

namespace Grantex.Console.Components.Pages.Grants;

/// <summary>One grant of a delegation tree with its delegated children.</summary>
public sealed record DelegationNode(Grant Grant, string AgentName, IReadOnlyList<DelegationNode> Children)
{
    /// <summary>This node and every descendant, depth first.</summary>
    public IEnumerable<DelegationNode> Flatten()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var node in child.Flatten())
            {
                yield return node;
            }
        }
    }
}
