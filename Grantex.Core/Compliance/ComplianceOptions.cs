namespace Grantex.Core.Compliance;

/// <summary>Settings under <c>Grantex:Compliance</c> in appsettings.json.</summary>
public sealed class ComplianceOptions
{
    public const string Section = "Grantex:Compliance";

    /// <summary>
    /// How often the server signs a checkpoint for every developer whose chain grew since its last one
    /// (default one hour; zero turns the schedule off, checkpoints can still be made on demand).
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromHours(1);
}
