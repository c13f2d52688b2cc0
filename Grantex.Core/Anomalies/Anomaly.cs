namespace Grantex.Core.Anomalies;

/// <summary>
/// A pattern the detector found in one developer's activity (reference wire format §7.3 plus SPEC's two types).
/// Unlike the reference, rows are never deleted: an open anomaly whose pattern still holds is updated in place
/// (matched by <see cref="DedupKey"/>), and an acknowledged one stays as the record of who looked at it and why.
/// </summary>
public sealed class Anomaly
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    /// <summary>One of <see cref="AnomalyTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>One of <see cref="AnomalySeverities"/>; cascade delegation may move from medium to high while open.</summary>
    public required string Severity { get; set; }

    public string? AgentId { get; init; }

    public string? PrincipalId { get; init; }

    public required string Description { get; set; }

    /// <summary>The rule's figures as a JSON object (counts, window, threshold), as the wire format shows them.</summary>
    public required string MetadataJson { get; set; }

    /// <summary>The grants the finding is about (the new pair's grant, the tree's root and children, the grants asking for new scopes); bounded.</summary>
    public required List<string> GrantIds { get; set; }

    /// <summary>SHA-256 of (type, agent, principal, subject): the same finding on a later pass matches this row.</summary>
    public required string DedupKey { get; init; }

    public DateTime DetectedAt { get; init; }

    /// <summary>When a later pass last changed the figures of this open anomaly (equal to <see cref="DetectedAt"/> until then).</summary>
    public DateTime UpdatedAt { get; set; }

    public DateTime? AcknowledgedAt { get; set; }

    /// <summary>Who acknowledged it ("api-key:key_…", "console:alice").</summary>
    public string? AcknowledgedBy { get; set; }

    /// <summary>The optional note given when acknowledging (at most <see cref="AnomalyRules.MaxNotesLength"/> characters).</summary>
    public string? Notes { get; set; }

    public bool IsOpen => AcknowledgedAt is null;
}
