namespace Grantex.Core.Anomalies;

/// <summary>
/// The anomaly types (wire names): the reference's four (§7.3) and SPEC §13.3's <c>unusual_scope_access</c> and
/// <c>cascade_delegation</c>. docs/decisions/anomalies.md defines each rule exactly.
/// </summary>
public static class AnomalyTypes
{
    public const string RateSpike = "rate_spike";
    public const string HighFailureRate = "high_failure_rate";
    public const string NewPrincipal = "new_principal";
    public const string OffHoursActivity = "off_hours_activity";
    public const string UnusualScopeAccess = "unusual_scope_access";
    public const string CascadeDelegation = "cascade_delegation";

    public static readonly IReadOnlyList<string> All = [RateSpike, HighFailureRate, NewPrincipal, OffHoursActivity, UnusualScopeAccess, CascadeDelegation];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);

    /// <summary>A label a person reads.</summary>
    public static string Label(string type) => type switch
    {
        RateSpike => "Rate spike",
        HighFailureRate => "High failure rate",
        NewPrincipal => "New principal",
        OffHoursActivity => "Off-hours activity",
        UnusualScopeAccess => "Unusual scope access",
        CascadeDelegation => "Cascade delegation",
        _ => type,
    };
}
