using System.Collections.Frozen;

namespace Grantex.Core.Policies;

/// <summary>
/// One developer's policies prepared once per change for fast evaluation, with exactly the semantics of
/// <see cref="PolicyEvaluator"/> (which stays the readable reference; a property test holds the two equal).
/// </summary>
/// <remarks>
/// Each policy gets its rank in evaluation order and is filed under its most selective condition: its agent, else its
/// principal, else each scope it lists, else the wildcard list. A request looks only at the lists it could match —
/// its agent's, its principal's, the scope lists (deny: every requested scope; allow: the smallest list of a requested
/// scope, since an allow must list every requested scope), and the wildcards — each in rank order, stopping at the
/// first match or once past the best match so far. Times of day, scopes and zones are parsed here, not per request.
/// </remarks>
public sealed class CompiledPolicySet
{
    private static readonly FrozenDictionary<string, int[]> NoBuckets = FrozenDictionary<string, int[]>.Empty;

    private readonly Entry[] _entries;
    private readonly TimeZoneInfo[] _zones;
    private readonly Side _deny;
    private readonly Side _allow;

    private CompiledPolicySet(IReadOnlyList<Policy> ordered)
    {
        var zones = new List<TimeZoneInfo>();
        var zoneIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        _entries = new Entry[ordered.Count];
        for (var rank = 0; rank < ordered.Count; rank++)
        {
            var p = ordered[rank];
            var zone = -1;
            var windowValid = true;
            int start = 0, end = 0;
            if (p.HasTimeWindow)
            {
                windowValid = PolicyRules.TryMinutes(p.TimeOfDayStart!, out start) & PolicyRules.TryMinutes(p.TimeOfDayEnd!, out end);
                if (p.TimeZone is not null)
                {
                    if (!zoneIndex.TryGetValue(p.TimeZone, out zone))
                    {
                        if (PolicyRules.FindZone(p.TimeZone) is { } found)
                        {
                            zone = zones.Count;
                            zones.Add(found);
                        }
                        else
                        {
                            zone = -2; // the zone left the system: the window cannot be read, so it never matches
                        }

                        zoneIndex[p.TimeZone] = zone;
                    }
                }
            }

            _entries[rank] = new Entry(p, p.Scopes?.ToFrozenSet(StringComparer.Ordinal), p.HasTimeWindow, windowValid && zone != -2, start, end, zone);
        }

        _zones = [.. zones];
        _deny = new Side(_entries, PolicyEffect.Deny);
        _allow = new Side(_entries, PolicyEffect.Allow);
    }

    /// <summary>How many policies the set holds.</summary>
    public int Count => _entries.Length;

    /// <summary>Prepares <paramref name="policies"/> (any order) for evaluation.</summary>
    public static CompiledPolicySet Compile(IEnumerable<Policy> policies)
    {
        var ordered = policies.ToList();
        ordered.Sort((a, b) => a == b ? 0 : PolicyEvaluator.Precedes(a, b) ? -1 : 1);
        return new CompiledPolicySet(ordered);
    }

    public PolicyDecision Evaluate(PolicyRequest request)
    {
        var utc = (request.At.Hour * 60) + request.At.Minute;
        Span<int> zoneMinutes = _zones.Length <= 64 ? stackalloc int[_zones.Length] : new int[_zones.Length];
        zoneMinutes.Fill(-1);
        var time = new TimeOfDay(request.At, utc, _zones, zoneMinutes);

        var deny = _deny.First(_entries, request, ref time);
        var allow = _allow.First(_entries, request, ref time);
        var denyPolicy = deny < 0 ? null : _entries[deny].Policy;
        var allowPolicy = allow < 0 ? null : _entries[allow].Policy;
        return PolicyEvaluator.Decide(denyPolicy, allowPolicy, request, _entries.Length);
    }

    private readonly record struct Entry(Policy Policy, FrozenSet<string>? Scopes, bool HasWindow, bool WindowReadable, int Start, int End, int Zone)
    {
        public bool Matches(PolicyRequest request, ref TimeOfDay time)
        {
            if (Policy.AgentId is not null && !string.Equals(Policy.AgentId, request.AgentId, StringComparison.Ordinal))
            {
                return false;
            }

            if (Policy.PrincipalId is not null && !string.Equals(Policy.PrincipalId, request.PrincipalId, StringComparison.Ordinal))
            {
                return false;
            }

            if (Scopes is not null && !ScopesMatch(request.Scopes))
            {
                return false;
            }

            if (!HasWindow)
            {
                return true;
            }

            if (!WindowReadable)
            {
                return false;
            }

            var minutes = time.Minutes(Zone);
            return Start < End ? minutes >= Start && minutes < End : minutes >= Start || minutes < End;
        }

        private bool ScopesMatch(IReadOnlyList<string> requested)
        {
            if (Policy.Effect == PolicyEffect.Deny)
            {
                for (var i = 0; i < requested.Count; i++)
                {
                    if (Scopes!.Contains(requested[i]))
                    {
                        return true;
                    }
                }

                return false;
            }

            for (var i = 0; i < requested.Count; i++)
            {
                if (!Scopes!.Contains(requested[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The request's time of day in UTC and, computed once each when first needed, in each zone of the set.</summary>
    private readonly ref struct TimeOfDay
    {
        private readonly DateTime _at;
        private readonly int _utc;
        private readonly TimeZoneInfo[] _zones;
        private readonly Span<int> _zoneMinutes;

        public TimeOfDay(DateTime at, int utc, TimeZoneInfo[] zones, Span<int> zoneMinutes)
        {
            _at = at;
            _utc = utc;
            _zones = zones;
            _zoneMinutes = zoneMinutes;
        }

        public int Minutes(int zone)
        {
            if (zone < 0)
            {
                return _utc;
            }

            if (_zoneMinutes[zone] < 0)
            {
                var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(_at, DateTimeKind.Utc), _zones[zone]);
                _zoneMinutes[zone] = (local.Hour * 60) + local.Minute;
            }

            return _zoneMinutes[zone];
        }
    }

    /// <summary>The index of one effect's policies: rank lists by agent, principal and scope, and the wildcards.</summary>
    private sealed class Side
    {
        private readonly PolicyEffect _effect;
        private readonly FrozenDictionary<string, int[]> _byAgent;
        private readonly FrozenDictionary<string, int[]> _byPrincipal;
        private readonly FrozenDictionary<string, int[]> _byScope;
        private readonly int[] _scoped;
        private readonly int[] _wildcard;

        public Side(Entry[] entries, PolicyEffect effect)
        {
            _effect = effect;
            var byAgent = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var byPrincipal = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var byScope = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var scoped = new List<int>();
            var wildcard = new List<int>();
            for (var rank = 0; rank < entries.Length; rank++)
            {
                var p = entries[rank].Policy;
                if (p.Effect != effect)
                {
                    continue;
                }

                if (p.AgentId is not null)
                {
                    Add(byAgent, p.AgentId, rank);
                }
                else if (p.PrincipalId is not null)
                {
                    Add(byPrincipal, p.PrincipalId, rank);
                }
                else if (entries[rank].Scopes is { } scopes)
                {
                    scoped.Add(rank);
                    foreach (var scope in scopes)
                    {
                        Add(byScope, scope, rank);
                    }
                }
                else
                {
                    wildcard.Add(rank);
                }
            }

            _byAgent = Freeze(byAgent);
            _byPrincipal = Freeze(byPrincipal);
            _byScope = Freeze(byScope);
            _scoped = [.. scoped];
            _wildcard = [.. wildcard];
        }

        /// <summary>The rank of the first matching policy of this effect, or -1.</summary>
        public int First(Entry[] entries, PolicyRequest request, ref TimeOfDay time)
        {
            var best = int.MaxValue;
            if (_byAgent.TryGetValue(request.AgentId, out var agent))
            {
                Scan(entries, agent, request, ref time, ref best);
            }

            if (_byPrincipal.TryGetValue(request.PrincipalId, out var principal))
            {
                Scan(entries, principal, request, ref time, ref best);
            }

            if (_scoped.Length > 0)
            {
                if (_effect == PolicyEffect.Deny)
                {
                    // A deny matches when any requested scope is listed: look under each (a policy found twice is checked twice, harmlessly).
                    for (var i = 0; i < request.Scopes.Count; i++)
                    {
                        if (_byScope.TryGetValue(request.Scopes[i], out var list))
                        {
                            Scan(entries, list, request, ref time, ref best);
                        }
                    }
                }
                else if (request.Scopes.Count == 0)
                {
                    Scan(entries, _scoped, request, ref time, ref best); // nothing requested: every list is a superset
                }
                else
                {
                    // An allow must list every requested scope, so the shortest list of one requested scope holds them all.
                    int[]? shortest = null;
                    for (var i = 0; i < request.Scopes.Count; i++)
                    {
                        if (!_byScope.TryGetValue(request.Scopes[i], out var list))
                        {
                            shortest = [];
                            break;
                        }

                        if (shortest is null || list.Length < shortest.Length)
                        {
                            shortest = list;
                        }
                    }

                    Scan(entries, shortest!, request, ref time, ref best);
                }
            }

            Scan(entries, _wildcard, request, ref time, ref best);
            return best == int.MaxValue ? -1 : best;
        }

        private static void Scan(Entry[] entries, int[] ranks, PolicyRequest request, ref TimeOfDay time, ref int best)
        {
            foreach (var rank in ranks)
            {
                if (rank >= best)
                {
                    return; // ranks ascend: nothing later in this list can come first
                }

                if (entries[rank].Matches(request, ref time))
                {
                    best = rank;
                    return;
                }
            }
        }

        private static void Add(Dictionary<string, List<int>> index, string key, int rank)
        {
            if (!index.TryGetValue(key, out var list))
            {
                index[key] = list = [];
            }

            list.Add(rank);
        }

        private static FrozenDictionary<string, int[]> Freeze(Dictionary<string, List<int>> index) =>
            index.Count == 0 ? NoBuckets : index.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }
}
