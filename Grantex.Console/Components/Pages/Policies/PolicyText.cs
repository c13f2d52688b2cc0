using Grantex.Core.Policies;

namespace Grantex.Console.Components.Pages.Policies;

/// <summary>A policy's conditions in words, for the list and the dialogs.</summary>
public static class PolicyText
{
    public static string Conditions(Policy p, IReadOnlyDictionary<string, string> agentNames)
    {
        var parts = new List<string>();
        if (p.AgentId is not null)
        {
            parts.Add("agent " + agentNames.GetValueOrDefault(p.AgentId, p.AgentId));
        }

        if (p.PrincipalId is not null)
        {
            parts.Add("principal " + p.PrincipalId);
        }

        if (p.Scopes is { } scopes)
        {
            parts.Add((p.Effect == PolicyEffect.Deny ? "any of " : "only ") + string.Join(", ", scopes));
        }

        if (p.HasTimeWindow)
        {
            parts.Add($"{p.TimeOfDayStart}–{p.TimeOfDayEnd} {p.TimeZone ?? "UTC"}");
        }

        return parts.Count == 0 ? "every request" : string.Join(" · ", parts);
    }
}
