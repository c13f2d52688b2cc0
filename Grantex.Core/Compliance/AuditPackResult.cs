namespace Grantex.Core.Compliance;

/// <summary>What was written: the files, the signed manifest's digest, and the server's own verification of the window.</summary>
public sealed record AuditPackResult(IReadOnlyList<AuditPackFile> Files, string ManifestSha256, string Kid, ChainIntegrity Verification);
