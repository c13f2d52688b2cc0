using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Audit;

/// <summary>
/// Verifies a developer's chain in a few contiguous segments at once (one reader and walker per core, each
/// streaming, so memory stays constant), then checks the links where the segments meet. The answer is the same
/// as one walk from the start: the first broken entry in chain order, and how many entries came before it.
/// </summary>
internal static class ChainSegments
{
    /// <summary>Below this many entries one walk is quick enough and a split only adds overhead.</summary>
    private const long SplitThreshold = 50_000;

    public static Task<ChainVerification> VerifyAsync(IDbContextFactory<GrantexDbContext> factory, string developerId, CancellationToken cancellationToken) =>
        VerifyAsync(factory, developerId, segments: null, cancellationToken);

    /// <param name="segments">How many segments to walk at once; null: one per core for long chains, else one.</param>
    internal static async Task<ChainVerification> VerifyAsync(
        IDbContextFactory<GrantexDbContext> factory, string developerId, int? segments, CancellationToken cancellationToken)
    {
        long? last;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            last = await db.AuditEntries.Where(e => e.DeveloperId == developerId).MaxAsync(e => (long?)e.ChainIndex, cancellationToken);
        }

        var length = (last ?? -1) + 1;
        var count = segments ?? (length < SplitThreshold ? 1 : Math.Clamp(Environment.ProcessorCount, 1, 4));
        var walked = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
        {
            long? from = i == 0 ? null : length * i / count;
            long? to = i == count - 1 ? null : length * (i + 1) / count;
            return Task.Run(() => WalkAsync(factory, developerId, from, to, cancellationToken), cancellationToken);
        }));
        return Merge(walked);
    }

    private static ChainVerification Merge(Segment[] segments)
    {
        long checkedBefore = 0;
        AuditEntry? previousLast = null;
        string? head = null;
        foreach (var segment in segments)
        {
            if (segment.First is { } first && previousLast is not null)
            {
                if (first.ChainIndex != previousLast.ChainIndex + 1)
                {
                    return Broken(first, checkedBefore, "missing", $"chain position {previousLast.ChainIndex + 1} is missing before this entry (found {first.ChainIndex})", previousLast.Hash);
                }

                if (first.PrevHash != previousLast.Hash)
                {
                    return Broken(first, checkedBefore, "link", "its previous hash does not match the hash of the entry before it", previousLast.Hash);
                }
            }

            var result = segment.Walker.Result();
            if (!result.Valid)
            {
                return result with { CheckedEntries = checkedBefore + result.CheckedEntries };
            }

            checkedBefore += result.CheckedEntries;
            if (segment.Last is not null)
            {
                previousLast = segment.Last;
                head = segment.Last.Hash;
            }
        }

        return ChainVerification.Intact(checkedBefore, head);
    }

    private static ChainVerification Broken(AuditEntry entry, long checkedBefore, string reason, string detail, string? head) =>
        new(false, checkedBefore, entry.Id, reason, $"Entry {entry.Id}: {detail}.", head);

    private static async Task<Segment> WalkAsync(
        IDbContextFactory<GrantexDbContext> factory, string developerId, long? from, long? to, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);

        // The first segment checks that the chain starts without a previous hash; later ones are linked in Merge.
        var segment = new Segment(new ChainWalker(linkFirst: from is null));
        await foreach (var entry in AuditEntryReader.ReadRangeAsync(db, developerId, from, to, cancellationToken))
        {
            segment.First ??= entry;
            if (!segment.Walker.Feed(entry))
            {
                break;
            }

            segment.Last = entry;
        }

        return segment;
    }

    private sealed class Segment(ChainWalker walker)
    {
        public ChainWalker Walker { get; } = walker;

        public AuditEntry? First { get; set; }

        public AuditEntry? Last { get; set; }
    }
}
