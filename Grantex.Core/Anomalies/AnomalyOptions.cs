namespace Grantex.Core.Anomalies;

/// <summary>Settings under <c>Grantex:Anomalies</c> in appsettings.json.</summary>
public sealed class AnomalyOptions
{
    public const string Section = "Grantex:Anomalies";

    /// <summary>
    /// When on, a new or grown high-severity anomaly revokes every active grant of its agent (with their delegated
    /// descendants) through the cascade revoker. Off by default (api.md): a false positive would cut off a working agent.
    /// </summary>
    public bool AutoRevokeHighSeverity { get; set; }

    /// <summary>Whether events and audit activity trigger detection in the background (on by default).</summary>
    public bool BackgroundDetection { get; set; } = true;

    /// <summary>
    /// How long the background detector waits after the first event of a burst before its pass, so that a burst costs
    /// one pass per developer (default 2 s; zero runs at once).
    /// </summary>
    public TimeSpan Coalesce { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the audit log is checked for entries that emit no event (<c>POST /v1/audit/log</c>); developers whose
    /// chain grew get a pass (default one minute; zero turns the check off).
    /// </summary>
    public TimeSpan AuditPollInterval { get; set; } = TimeSpan.FromMinutes(1);
}
