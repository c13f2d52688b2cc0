using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Keys;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Core.Compliance;

/// <summary>
/// Signs chain checkpoints (head hash, entry count, time; a JWS under the server's current key), keeps them, lists
/// them, and reads them back with their signatures checked. A checkpoint is never signed over a chain that already
/// contradicts the previous one: that would bless a truncation or rewrite.
/// </summary>
public sealed partial class CheckpointService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    SigningKeyStore keys,
    CheckpointJournal journal,
    TimeProvider time,
    IOptions<GrantexOptions> options,
    ILogger<CheckpointService> logger)
{
    public const string IdPrefix = "ckpt_";

    /// <summary>Signs a checkpoint of the developer's chain as it is now.</summary>
    public async Task<Result<AuditCheckpoint>> CreateAsync(string developerId, CancellationToken cancellationToken = default)
    {
        // The journal first: every line in it was committed (with its head entries) before it was written.
        var journaled = await NewestInJournalAsync(developerId, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var head = await db.AuditEntries.AsNoTracking().Where(e => e.DeveloperId == developerId).OrderByDescending(e => e.ChainIndex)
            .Select(e => new { e.Id, e.Hash, e.ChainIndex, e.Timestamp }).FirstOrDefaultAsync(cancellationToken);
        if (head is null)
        {
            return GxError.BadRequest("The audit chain is empty: there is nothing to checkpoint yet.");
        }

        // The previous checkpoint: the database's, or the journal's when it covers more (the rows may have been deleted).
        var stored = await LatestAsync(db, developerId, cancellationToken);
        var previous = journaled?.Claims is { } j && j.Count > (stored?.EntryCount ?? 0)
            ? new PreviousCheckpoint(j.Id, j.Count, j.HeadHash, j.HeadEntryId)
            : stored is null ? null : new PreviousCheckpoint(stored.Id, stored.EntryCount, stored.HeadHash, stored.HeadEntryId);
        if (previous is not null)
        {
            var at = await db.AuditEntries.AsNoTracking().Where(e => e.DeveloperId == developerId && e.ChainIndex == previous.Count - 1)
                .Select(e => new { e.Id, e.Hash }).FirstOrDefaultAsync(cancellationToken);
            if (at is null || at.Hash != previous.HeadHash || at.Id != previous.HeadEntryId)
            {
                var why = at is null ? $"position {previous.Count - 1} no longer exists" : $"position {previous.Count - 1} now holds {at.Id} with another hash";
                LogRefused(logger, developerId, previous.Id, why);
                var draft = AuditDraft.For(new AuditSubject(developerId), AuditActions.CheckpointRefused, "system",
                    AuditMetadata.With("checkpointId", previous.Id).And("reason", why));
                await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
                return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict,
                    $"The chain no longer matches checkpoint {previous.Id} ({why}): it was cut or rewritten, so no new checkpoint is signed over it. Verify the chain.");
            }
        }

        var key = keys.Current;
        var now = time.UtcNowMillis();
        var claims = new CheckpointClaims(Ids.New(IdPrefix), options.Value.Issuer, developerId, head.ChainIndex + 1, head.Hash, head.Id,
            TimeFormat.Iso(head.Timestamp), TimeFormat.ToUnixSeconds(now));
        var checkpoint = new AuditCheckpoint
        {
            Id = claims.Id,
            DeveloperId = developerId,
            HeadHash = head.Hash,
            HeadEntryId = head.Id,
            HeadTimestamp = head.Timestamp,
            EntryCount = claims.Count,
            CreatedAt = now,
            Jws = CheckpointToken.Sign(claims, key),
            Kid = key.KeyId,
        };
        var saved = await writes.ExecuteAsync(ctx =>
        {
            ctx.Db.Set<AuditCheckpoint>().Add(checkpoint);
            return Task.FromResult(checkpoint);
        }, cancellationToken);
        try
        {
            await journal.AppendAsync(saved, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The checkpoint stands in the database; only its copy outside it is missing. Loud, not fatal.
            LogJournalFailed(logger, ex, saved.Id, journal.Directory);
        }

        return saved;
    }

    /// <summary>The newest genuine checkpoint kept outside the database (<see cref="CheckpointJournal"/>), if any.</summary>
    public Task<CheckpointReading?> NewestInJournalAsync(string developerId, CancellationToken cancellationToken = default) =>
        journal.NewestAsync(developerId, VerificationKeys, cancellationToken);

    /// <summary>Signs a checkpoint for every developer whose chain grew since its last one; returns how many were signed.</summary>
    public async Task<int> CreateForGrownChainsAsync(CancellationToken cancellationToken = default)
    {
        List<string> grown = [];
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var developers = await db.Developers.AsNoTracking().Select(d => d.Id).ToListAsync(cancellationToken);
            foreach (var developerId in developers)
            {
                var head = await db.AuditEntries.AsNoTracking().Where(e => e.DeveloperId == developerId)
                    .OrderByDescending(e => e.ChainIndex).Select(e => (long?)e.ChainIndex).FirstOrDefaultAsync(cancellationToken);
                var covered = await db.Set<AuditCheckpoint>().AsNoTracking().Where(c => c.DeveloperId == developerId)
                    .OrderByDescending(c => c.EntryCount).Select(c => (long?)c.EntryCount).FirstOrDefaultAsync(cancellationToken);
                if (head is { } h && h + 1 > (covered ?? 0))
                {
                    grown.Add(developerId);
                }
            }
        }

        var created = 0;
        foreach (var developerId in grown)
        {
            var result = await CreateAsync(developerId, cancellationToken);
            created += result.IsSuccess ? 1 : 0;
        }

        return created;
    }

    /// <summary>The developer's checkpoints, newest first, keyset-paginated on (CreatedAt, Id).</summary>
    public async Task<Page<AuditCheckpoint>> ListAsync(string developerId, Cursor? after, int size, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<AuditCheckpoint>().AsNoTracking().Where(c => c.DeveloperId == developerId);
        if (after is { } c)
        {
            var at = Cursor.ToTime(c.Key);
            query = query.Where(x => x.CreatedAt < at || (x.CreatedAt == at && string.Compare(x.Id, c.Id) < 0));
        }

        var rows = await query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? new Cursor(Cursor.FromTime(rows[size - 1].CreatedAt), rows[size - 1].Id).Encode() : null;
        return new Page<AuditCheckpoint>([.. rows.Take(size)], next);
    }

    public async Task<AuditCheckpoint?> GetAsync(string developerId, string checkpointId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<AuditCheckpoint>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == checkpointId && c.DeveloperId == developerId, cancellationToken);
    }

    /// <summary>The checkpoint covering the most entries (the newest of those): the one that catches a cut tail.</summary>
    public async Task<AuditCheckpoint?> LatestAsync(string developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await LatestAsync(db, developerId, cancellationToken);
    }

    /// <summary>
    /// The keys checkpoints are checked against: the published ones (the JWKS) only. Retired keys are not trusted even
    /// though their public halves are still in the database: anyone able to write the database could add a "retired"
    /// key of their own and forge checkpoints under it. A checkpoint under a retired key reads as not checkable.
    /// </summary>
    public IReadOnlyDictionary<string, RsaSecurityKey> VerificationKeys => keys.Published;

    /// <summary>
    /// The checkpoints that matter for a window: those whose head lies in it, plus the latest overall (which reveals a
    /// tail cut after the window's last checkpoint), oldest first, read with their signatures checked.
    /// </summary>
    internal async Task<IReadOnlyList<(AuditCheckpoint Row, CheckpointReading Reading)>> ForWindowAsync(
        GrantexDbContext db, string developerId, DateTime? since, DateTime? until, CancellationToken cancellationToken)
    {
        var query = db.Set<AuditCheckpoint>().AsNoTracking().Where(c => c.DeveloperId == developerId);
        if (since is { } s)
        {
            query = query.Where(c => c.HeadTimestamp >= s);
        }

        if (until is { } u)
        {
            query = query.Where(c => c.HeadTimestamp <= u);
        }

        var rows = await query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        if (await LatestAsync(db, developerId, cancellationToken) is { } latest && rows.All(r => r.Id != latest.Id))
        {
            rows.Add(latest);
        }

        var result = new List<(AuditCheckpoint, CheckpointReading)>(rows.Count);
        foreach (var row in rows)
        {
            result.Add((row, await CheckpointToken.ReadAsync(row.Jws, VerificationKeys)));
        }

        return result;
    }

    internal static Task<AuditCheckpoint?> LatestAsync(GrantexDbContext db, string developerId, CancellationToken cancellationToken) =>
        db.Set<AuditCheckpoint>().AsNoTracking().Where(c => c.DeveloperId == developerId)
            .OrderByDescending(c => c.EntryCount).ThenByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);

    private sealed record PreviousCheckpoint(string Id, long Count, string HeadHash, string HeadEntryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checkpoint {CheckpointId} was stored but could not be appended to the checkpoint journal in {Directory}")]
    private static partial void LogJournalFailed(ILogger logger, Exception ex, string checkpointId, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused to sign a checkpoint for {DeveloperId}: the chain contradicts checkpoint {CheckpointId} ({Why})")]
    private static partial void LogRefused(ILogger logger, string developerId, string checkpointId, string why);
}
