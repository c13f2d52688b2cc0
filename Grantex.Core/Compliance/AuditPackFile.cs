namespace Grantex.Core.Compliance;

/// <summary>A file of an audit pack as the manifest lists it; <see cref="Records"/> counts the lines of a JSON Lines file.</summary>
public sealed record AuditPackFile(string Name, string Sha256, long Bytes, long? Records);
