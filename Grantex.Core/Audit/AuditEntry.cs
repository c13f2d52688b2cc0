namespace Grantex.Core.Audit;

/// <summary>One link of a developer's hash chain. Never updated or deleted.</summary>
public sealed class AuditEntry
{
    /// <summary>Chain order across the whole store (also the keyset cursor).</summary>
    public long Sequence { get; init; }

    public required string Id { get; init; }

    /// <summary>Position in the developer's chain: 0, 1, 2… A gap means an entry is missing.</summary>
    public long ChainIndex { get; init; }

    public required string DeveloperId { get; init; }

    public required string AgentId { get; init; }

    public required string AgentDid { get; init; }

    public required string GrantId { get; init; }

    public required string PrincipalId { get; init; }

    public required string Action { get; init; }

    /// <summary>The metadata object as canonical JSON (sorted keys, no whitespace): exactly what was hashed.</summary>
    public required string MetadataJson { get; init; }

    public required DateTime Timestamp { get; init; }

    public string? PrevHash { get; init; }

    public required string Hash { get; init; }

    public required string Status { get; init; }

    /// <summary>Who acted, for entries the server writes itself ("api-key:key_…", "console:alice", "system").</summary>
    public string? Actor { get; init; }
}
