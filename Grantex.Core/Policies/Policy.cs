namespace Grantex.Core.Policies;

/// <summary>
/// One rule of a developer (reference wire format §7.1): an effect, a priority and flat conditions, each of which
/// matches anything when null. Evaluation (<see cref="PolicyEvaluator"/>) takes every deny rule first, then allow rules
/// by priority.
/// </summary>
public sealed class Policy
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string Name { get; set; }

    public PolicyEffect Effect { get; set; }

    /// <summary>Higher first; ties broken by creation time, then id (the reference's <c>priority DESC, createdAt ASC</c>).</summary>
    public int Priority { get; set; }

    public string? AgentId { get; set; }

    public string? PrincipalId { get; set; }

    /// <summary>Null matches any request. Allow: every requested scope must be listed; deny: any requested scope listed.</summary>
    public List<string>? Scopes { get; set; }

    /// <summary><c>HH:MM</c>, inclusive; set together with <see cref="TimeOfDayEnd"/>.</summary>
    public string? TimeOfDayStart { get; set; }

    /// <summary><c>HH:MM</c>, exclusive; earlier than the start means the window crosses midnight.</summary>
    public string? TimeOfDayEnd { get; set; }

    /// <summary>IANA time zone the window is read in; null means UTC (as in the reference).</summary>
    public string? TimeZone { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency token for edits.</summary>
    public long Version { get; set; }

    public bool HasTimeWindow => TimeOfDayStart is not null && TimeOfDayEnd is not null;
}
