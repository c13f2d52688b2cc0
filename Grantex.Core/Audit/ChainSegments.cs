using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Audit;

/// <summary>
/// Verifies a developer's chain (the walk alone, no checkpoints) in a few contiguous segments at once, through
/// <see cref="ChainScan"/>. The answer is the same as one walk from the start: the first broken entry in chain
/// order, and how many entries came before it.
/// </summary>
internal static class ChainSegments
{
    public static Task<ChainVerification> VerifyAsync(IDbContextFactory<GrantexDbContext> factory, string developerId, CancellationToken cancellationToken) =>
        VerifyAsync(factory, developerId, segments: null, cancellationToken);

    /// <param name="segments">How many segments to walk at once; null: one per core for long chains, else one.</param>
    internal static async Task<ChainVerification> VerifyAsync(
        IDbContextFactory<GrantexDbContext> factory, string developerId, int? segments, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var scan = await ChainScan.ScanAsync(db, factory, developerId, [], segments, cancellationToken);
        return scan.Walk;
    }
}
