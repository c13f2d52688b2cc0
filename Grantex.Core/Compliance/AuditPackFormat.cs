namespace Grantex.Core.Compliance;

/// <summary>
/// The layout of an audit pack (one zip): the content files, each listed in <c>manifest.json</c> with its SHA-256
/// and size, and <c>manifest.jws</c>, the manifest's exact bytes signed (RS256) under a key of the server's JWKS.
/// </summary>
public static class AuditPackFormat
{
    public const string Name = "grantex-audit-pack";
    public const int Version = 1;

    /// <summary>The JWS header <c>typ</c> of <see cref="ManifestSignature"/>.</summary>
    public const string ManifestType = "grantex-audit-manifest+jws";

    public const string AuditEntries = "audit-entries.jsonl";
    public const string Grants = "grants.jsonl";
    public const string Agents = "agents.jsonl";
    public const string Policies = "policies.json";
    public const string Verification = "verification.json";
    public const string Checkpoints = "checkpoints.jsonl";
    public const string Jwks = "jwks.json";
    public const string Manifest = "manifest.json";
    public const string ManifestSignature = "manifest.jws";

    /// <summary>Every file the manifest must list.</summary>
    public static readonly IReadOnlyList<string> ContentFiles = [AuditEntries, Grants, Agents, Policies, Verification, Checkpoints, Jwks];
}
