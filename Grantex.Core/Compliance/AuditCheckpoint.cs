namespace Grantex.Core.Compliance;

/// <summary>
/// A signed statement of a developer's chain head at one moment: "the chain had <see cref="EntryCount"/> entries and
/// the last one hashed to <see cref="HeadHash"/>". Kept outside the chain, it reveals a chain that was later cut short
/// or rewritten wholesale, which no walk of the chain alone can see. Never updated or deleted.
/// </summary>
public sealed class AuditCheckpoint
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    /// <summary>The hash of the entry at chain position <c>EntryCount - 1</c>.</summary>
    public required string HeadHash { get; init; }

    /// <summary>The id of that entry.</summary>
    public required string HeadEntryId { get; init; }

    /// <summary>The timestamp of that entry (tells a verifier whether a date window must contain it).</summary>
    public required DateTime HeadTimestamp { get; init; }

    /// <summary>How many entries the chain had: the head's chain position + 1.</summary>
    public long EntryCount { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>The compact JWS (RS256) over the checkpoint payload, as published.</summary>
    public required string Jws { get; init; }

    /// <summary>The signing key's id (the JWS header's <c>kid</c>).</summary>
    public required string Kid { get; init; }
}
