using System.Collections.Frozen;

namespace Grantex.Core.Events;

/// <summary>
/// Every event type the server emits (reference-wire-format §7.2, §7.9; api.md "Webhooks, anomalies"). An event is
/// written to the durable event log in the same transaction as the change that caused it; webhooks and the event
/// stream read it from there. The reference only lets webhooks subscribe to the first three; we accept all of them.
/// </summary>
public static class EventTypes
{
    public const string GrantCreated = "grant.created";
    public const string GrantRevoked = "grant.revoked";
    public const string TokenIssued = "token.issued";
    public const string TokenRevoked = "token.revoked";
    public const string ConsentApproved = "consent.approved";
    public const string ConsentDenied = "consent.denied";
    public const string PolicyDenied = "policy.denied";
    public const string AnomalyDetected = "anomaly.detected";
    public const string AnomalyAutoRevoked = "anomaly.auto_revoked";

    /// <summary>A test event one webhook asked for ("send a test event"); delivered only to it, never subscribable.</summary>
    public const string WebhookTest = "webhook.test";

    /// <summary>Every type, in the order they are documented.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        GrantCreated, GrantRevoked, TokenIssued, TokenRevoked, ConsentApproved, ConsentDenied, PolicyDenied, AnomalyDetected, AnomalyAutoRevoked, WebhookTest,
    ];

    private static readonly FrozenSet<string> Known = All.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnown(string type) => Known.Contains(type);
}
