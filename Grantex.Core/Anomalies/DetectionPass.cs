using Grantex.Core.Persistence;

namespace Grantex.Core.Anomalies;

/// <summary>
/// What the rules of one pass share: a read context (never the writer's), the developer, the detection time, the
/// delegation depth limit, and when each finding was last acknowledged. An acknowledgement says "I have seen this up to
/// now": a rule counts only rows after it, so the acknowledged row is never re-opened and only new activity raises a
/// new anomaly.
/// </summary>
internal sealed class DetectionPass(GrantexDbContext db, string developerId, DateTime now, int maxDelegationDepth, IReadOnlyDictionary<string, DateTime> acknowledged)
{
    public GrantexDbContext Db { get; } = db;

    public string DeveloperId { get; } = developerId;

    public DateTime Now { get; } = now;

    public int MaxDelegationDepth { get; } = maxDelegationDepth;

    /// <summary>The start of a window of <paramref name="hours"/> ending now (excluded).</summary>
    public DateTime WindowStart(int hours) => Now.AddHours(-hours);

    /// <summary>Where a finding's rows start counting: the window start, or its last acknowledgement if later.</summary>
    public DateTime Since(DateTime windowStart, string type, string? agentId, string? principalId, string subject) =>
        acknowledged.TryGetValue(AnomalyFinding.KeyFor(type, agentId, principalId, subject), out var at) && at > windowStart ? at : windowStart;

    /// <summary>True when some finding of <paramref name="type"/> for the agent was acknowledged inside the window (its rows need a recount).</summary>
    public bool AcknowledgedAfter(DateTime windowStart, string type, string? agentId, string? principalId, string subject) =>
        Since(windowStart, type, agentId, principalId, subject) > windowStart;
}
