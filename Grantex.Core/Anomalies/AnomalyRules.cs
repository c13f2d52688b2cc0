namespace Grantex.Core.Anomalies;

/// <summary>
/// The thresholds and windows of the six rules (the reference's figures for its four) and the input bounds of the
/// anomaly endpoints. Windows are "the last N hours" ending at the detection time, start excluded.
/// </summary>
public static class AnomalyRules
{
    public const int RateSpikeThreshold = 50;
    public const int RateSpikeWindowHours = 1;

    public const int FailureMinimumEntries = 5;
    public const double FailureThreshold = 0.2;
    public const int FailureWindowHours = 24;

    public const int NewPrincipalWindowHours = 24;

    public const int OffHoursThreshold = 10;
    public const int OffHoursWindowHours = 24;

    /// <summary>Off hours start at 22:00 UTC and end at 06:00 UTC (the end excluded).</summary>
    public const int OffHoursStartHour = 22;
    public const int OffHoursEndHour = 6;

    public const int UnusualScopeWindowHours = 24;
    public const int UnusualScopeLookbackDays = 30;

    /// <summary>More than this many delegated grants added to one tree within the window is a cascade (high).</summary>
    public const int CascadeWidthThreshold = 10;
    public const int CascadeWindowHours = 1;

    /// <summary>At most this many grant ids are kept on one anomaly.</summary>
    public const int MaxGrantIds = 20;

    public const int MaxNotesLength = 1000;

    /// <summary>Who the detector acts as in the audit log; its own entries never count towards the audit-based rules.</summary>
    public const string DetectorActor = "system:anomaly-detector";
}
