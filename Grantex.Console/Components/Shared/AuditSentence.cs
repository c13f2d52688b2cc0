using Grantex.Core.Anomalies;
using Grantex.Core.Audit;
using Grantex.Core.Consent;

namespace Grantex.Console.Components.Shared;

/// <summary>
/// An audit entry told as a sentence with names instead of ids — "Inbox assistant's grant for alice revoked by Ada
/// Admin" — for the timeline, the Overview's recent activity and the activity lists on grant and agent pages. The
/// catalogue's label (<see cref="AuditActions"/>) stays beside it; the raw action code is only on the entry's own page.
/// </summary>
public static class AuditSentence
{
    public const string ConsolePrefix = "console:";
    private const string ApiKeyPrefix = "api-key:";
    private const string ScimPrefix = "scim:";

    public static string For(AuditEntry entry, AuditNameBook names)
    {
        var agent = names.Agent(entry.AgentId) is { } known ? known : entry.AgentId.Length > 0 ? "An agent" : null;
        var principal = entry.PrincipalId.Length > 0 ? entry.PrincipalId : null;
        var core = (entry.Action, agent, principal) switch
        {
            ("grant.created", { } a, { } p) => $"{p} granted {a} access",
            ("grant.delegated", { } a, { } p) => $"{a} received a delegated grant for {p}",
            ("grant.revoked", { } a, { } p) => $"{Possessive(a)} grant for {p} revoked",
            ("token.refreshed", { } a, { } p) => $"{a} refreshed its token for {p}",
            ("token.revoked", { } a, { } p) => $"{Possessive(a)} token for {p} revoked",
            ("consent.approved", { } a, { } p) => $"{p} allowed {a}",
            ("consent.denied", { } a, { } p) => $"{p} denied {a}",
            ("console.access_denied", _, _) => $"Page {Metadata(entry, "page") ?? "of the console"} refused",
            _ => Generic(AuditActions.Describe(entry.Action).Label, agent, principal),
        };
        // The person is the subject of a consent or a new grant; the actor is only the channel it came through.
        var joint = entry.Action is "consent.approved" or "consent.denied" or "grant.created" && principal is not null ? "via" : "by";
        return entry.Actor is { } actor && Actor(actor, entry, names) is { } by ? $"{core} {joint} {by}" : core;
    }

    /// <summary>Who acted, in words: a console operator's display name, "Acme's API key", "SCIM provisioning".</summary>
    public static string? Actor(string actor, AuditEntry entry, AuditNameBook names) => actor switch
    {
        "console:anonymous" => null, // a failed sign-in: the sentence says it all
        _ when actor.StartsWith(ConsolePrefix, StringComparison.Ordinal) => names.Operator(actor[ConsolePrefix.Length..]),
        _ when actor.StartsWith(ApiKeyPrefix, StringComparison.Ordinal) => $"{Possessive(names.Developer(entry.DeveloperId))} API key",
        _ when actor.StartsWith(ScimPrefix, StringComparison.Ordinal) => "SCIM provisioning",
        AnomalyRules.DetectorActor => "the anomaly detector",
        ConsentPresenceService.Actor => "the person on the consent page",
        "system" => "Grantex",
        _ => actor,
    };

    private static string Generic(string label, string? agent, string? principal) => (agent, principal) switch
    {
        ({ } a, { } p) => $"{label}: {a}, for {p}",
        ({ } a, null) => $"{label}: {a}",
        (null, { } p) => $"{label}, for {p}",
        _ => label,
    };

    private static string? Metadata(AuditEntry entry, string key)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(entry.MetadataJson);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty(key, out var value)
                && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Possessive(string name) => name.EndsWith('s') ? name + "'" : name + "'s";
}
