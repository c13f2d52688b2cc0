using System.Globalization;
using System.Text;

namespace Grantex.Core.Policies;

/// <summary>
/// Pure evaluation of one developer's policies (api.md, Policies; SPEC §11.4 and §14): every deny rule first — the
/// first matching deny decides — then allow rules by priority; no match leaves the decision to the consent screen.
/// "First" is the reference's order: priority descending, then oldest first (then id, so ties are stable).
/// A policy matches when every condition it sets holds: agent, principal, scopes (allow: all requested scopes listed;
/// deny: any requested scope listed) and the time of day, in UTC or the policy's IANA time zone, in
/// <c>[start, end)</c>, wrapping past midnight when the end is earlier than the start.
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(IReadOnlyList<Policy> policies, PolicyRequest request)
    {
        Policy? deny = null;
        Policy? allow = null;
        var utcMinutes = MinutesOfDay(request.At);
        foreach (var policy in policies)
        {
            var current = policy.Effect == PolicyEffect.Deny ? deny : allow;
            if (current is not null && !Precedes(policy, current))
            {
                continue;
            }

            if (!Matches(policy, request, utcMinutes))
            {
                continue;
            }

            if (policy.Effect == PolicyEffect.Deny)
            {
                deny = policy;
            }
            else
            {
                allow = policy;
            }
        }

        return Decide(deny, allow, request, policies.Count);
    }

    /// <summary>The decision once the first matching deny and allow (if any) of <paramref name="count"/> policies are known.</summary>
    internal static PolicyDecision Decide(Policy? deny, Policy? allow, PolicyRequest request, int count)
    {
        if (deny is not null)
        {
            var overrides = allow is not null && Precedes(allow, deny)
                ? $" It outranks allow policy {allow.Id} (priority {allow.Priority}) because deny rules are evaluated before allow rules."
                : "";
            return new PolicyDecision(deny, Describe(deny, request) + overrides, count, request.At);
        }

        return allow is not null
            ? new PolicyDecision(allow, Describe(allow, request), count, request.At)
            : new PolicyDecision(null, $"No policy matches ({count} evaluated).", count, request.At);
    }

    /// <summary>True when <paramref name="a"/> comes before <paramref name="b"/> in evaluation order.</summary>
    public static bool Precedes(Policy a, Policy b) =>
        a.Priority != b.Priority ? a.Priority > b.Priority
        : a.CreatedAt != b.CreatedAt ? a.CreatedAt < b.CreatedAt
        : string.CompareOrdinal(a.Id, b.Id) < 0;

    public static bool Matches(Policy policy, PolicyRequest request) => Matches(policy, request, MinutesOfDay(request.At));

    private static bool Matches(Policy policy, PolicyRequest request, int utcMinutes)
    {
        if (policy.AgentId is not null && !string.Equals(policy.AgentId, request.AgentId, StringComparison.Ordinal))
        {
            return false;
        }

        if (policy.PrincipalId is not null && !string.Equals(policy.PrincipalId, request.PrincipalId, StringComparison.Ordinal))
        {
            return false;
        }

        if (policy.Scopes is { } scopes && !ScopesMatch(policy.Effect, scopes, request.Scopes))
        {
            return false;
        }

        if (!policy.HasTimeWindow)
        {
            return true;
        }

        // -1: the zone cannot be read; it must not match (a window crossing midnight would take -1 as "before the end").
        var minutes = LocalMinutes(policy, request.At, utcMinutes);
        return minutes >= 0 && InWindow(policy, minutes);
    }

    private static bool ScopesMatch(PolicyEffect effect, List<string> listed, IReadOnlyList<string> requested)
    {
        if (effect == PolicyEffect.Deny)
        {
            foreach (var scope in requested)
            {
                if (listed.Contains(scope, StringComparer.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var scope in requested)
        {
            if (!listed.Contains(scope, StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool InWindow(Policy policy, int minutes)
    {
        if (!PolicyRules.TryMinutes(policy.TimeOfDayStart!, out var start) || !PolicyRules.TryMinutes(policy.TimeOfDayEnd!, out var end))
        {
            return false;
        }

        return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
    }

    private static int LocalMinutes(Policy policy, DateTime at, int utcMinutes)
    {
        if (policy.TimeZone is null)
        {
            return utcMinutes;
        }

        // A zone that disappeared from the system after the policy was stored: the window cannot be read, so it does not match.
        var zone = PolicyRules.FindZone(policy.TimeZone);
        return zone is null ? -1 : MinutesOfDay(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc), zone));
    }

    private static int MinutesOfDay(DateTime time) => (time.Hour * 60) + time.Minute;

    private static string Describe(Policy policy, PolicyRequest request)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(policy.Effect == PolicyEffect.Deny ? "Deny" : "Allow")} policy {policy.Id} (\"{policy.Name}\", priority {policy.Priority}) matches");
        var conditions = new List<string>();
        if (policy.AgentId is not null)
        {
            conditions.Add($"agent {policy.AgentId}");
        }

        if (policy.PrincipalId is not null)
        {
            conditions.Add($"principal {policy.PrincipalId}");
        }

        if (policy.Scopes is { } scopes)
        {
            conditions.Add(policy.Effect == PolicyEffect.Deny
                ? $"requested scope {string.Join(", ", request.Scopes.Where(s => scopes.Contains(s, StringComparer.Ordinal)))} is listed"
                : $"every requested scope is within {string.Join(", ", scopes)}");
        }

        if (policy.HasTimeWindow)
        {
            var zone = policy.TimeZone ?? "UTC";
            var local = policy.TimeZone is null ? request.At : PolicyRules.FindZone(policy.TimeZone) is { } z
                ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(request.At, DateTimeKind.Utc), z) : request.At;
            conditions.Add($"time {local:HH:mm} {zone} is within {policy.TimeOfDayStart}–{policy.TimeOfDayEnd}");
        }

        text.Append(conditions.Count == 0 ? " every request (no conditions)." : ": " + string.Join("; ", conditions) + ".");
        return text.ToString();
    }
}
