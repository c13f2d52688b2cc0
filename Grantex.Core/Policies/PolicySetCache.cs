using System.Collections.Concurrent;
using Grantex.Core.Common;
using Grantex.Core.Persistence;

namespace Grantex.Core.Policies;

/// <summary>
/// Each developer's policies compiled once per change (<see cref="CompiledPolicySet"/>), so authorize neither reads
/// nor re-sorts them per request. An entry is dropped when a policy of that developer changes — after the commit, on
/// the writer's thread, before the change's caller gets its answer (<see cref="ChangeKind.PolicyChanged"/>) — and a
/// load that raced a change is not kept (a generation number per developer), so no request decides on rules older
/// than the last committed change. One process only: with several nodes on one database, a change made on another
/// node would need the same notice from there.
/// </summary>
public sealed class PolicySetCache
{
    private readonly ConcurrentDictionary<string, CompiledPolicySet> _sets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _generations = new(StringComparer.Ordinal);

    public PolicySetCache(ChangeNotifier changes)
    {
        changes.Changed += notice =>
        {
            if (notice.Kind == ChangeKind.PolicyChanged)
            {
                Invalidate(notice.DeveloperId);
            }
        };
    }

    /// <summary>The developer's compiled policies, read through <paramref name="db"/> when not cached.</summary>
    public async Task<CompiledPolicySet> GetAsync(GrantexDbContext db, string developerId, CancellationToken cancellationToken = default)
    {
        if (_sets.TryGetValue(developerId, out var cached))
        {
            return cached;
        }

        long generation;
        lock (_generations)
        {
            generation = _generations.GetValueOrDefault(developerId);
        }

        var compiled = CompiledPolicySet.Compile(await PolicyService.LoadAsync(db, developerId, cancellationToken));
        lock (_generations)
        {
            // A change committed since the generation was read may be missing from what was loaded: use it once, keep it not.
            if (_generations.GetValueOrDefault(developerId) == generation)
            {
                _sets[developerId] = compiled;
            }
        }

        return compiled;
    }

    /// <summary>Forgets the developer's compiled set (their policies changed).</summary>
    public void Invalidate(string developerId)
    {
        lock (_generations)
        {
            _generations[developerId] = _generations.GetValueOrDefault(developerId) + 1;
            _sets.TryRemove(developerId, out _);
        }
    }
}
