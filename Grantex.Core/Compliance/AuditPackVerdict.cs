namespace Grantex.Core.Compliance;

/// <summary>
/// The outcome of checking an audit pack offline: intact only when nothing at all is wrong. <see cref="Notes"/> say
/// what could not be checked (and why that is not evidence of tampering); <see cref="Passed"/> lists what was checked.
/// </summary>
public sealed record AuditPackVerdict(
    IReadOnlyList<AuditPackProblem> Problems,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Passed,
    bool KeysFromPack,
    AuditPackManifest? Manifest,
    long Entries)
{
    public bool Intact => Problems.Count == 0;

    /// <summary>"INTACT", or "TAMPERED: " followed by every problem.</summary>
    public string Summary => Intact ? "INTACT" : "TAMPERED: " + string.Join(" ", Problems.Select(p => p.Message));

    public bool Has(string code) => Problems.Any(p => p.Code == code);
}
