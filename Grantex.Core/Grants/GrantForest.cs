namespace Grantex.Core.Grants;

/// <summary>
/// Delegation trees within a set of grants read together (a cascade's revoked rows, a person's active grants, a
/// revocation preview): which of them are roots within the set, and what hangs below a root.
/// </summary>
internal static class GrantForest
{
    /// <summary>
    /// The items whose parent is not in the set — a root grant, or a delegated grant whose parent is not among them
    /// (no longer active, or outside what was read) — in the order given.
    /// </summary>
    public static List<T> Roots<T>(IReadOnlyCollection<T> items, Func<T, string> id, Func<T, string?> parent)
    {
        var ids = items.Select(id).ToHashSet(StringComparer.Ordinal);
        return [.. items.Where(item => parent(item) is not { } p || !ids.Contains(p))];
    }

    /// <summary>The ids of <paramref name="roots"/> and of everything below them, walked through <paramref name="children"/> (parent id → child ids).</summary>
    public static List<string> WithDescendants(IEnumerable<string> roots, ILookup<string, string> children)
    {
        var result = new List<string>();
        var stack = new Stack<string>(roots);
        while (stack.TryPop(out var id))
        {
            result.Add(id);
            foreach (var child in children[id])
            {
                stack.Push(child);
            }
        }

        return result;
    }
}
