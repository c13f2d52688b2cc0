using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Anomalies;

/// <summary>
/// A developer's anomalies (reference wire format §7.3, api.md "Webhooks, anomalies"), shared by the REST API, the
/// console and the background detector: a detection pass (the six rules read outside the writer, then one short write
/// command records what they found), the filtered list, and acknowledgement with who and an optional note.
/// </summary>
public sealed partial class AnomalyService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    TimeProvider time,
    AnomalyRecorder recorder,
    IOptions<AnomalyOptions> options,
    IOptions<GrantexOptions> grantex)
{
    private static readonly Func<DetectionPass, CancellationToken, Task<List<AnomalyFinding>>>[] Rules =
    [
        AuditActivityRules.RateSpikeAsync,
        AuditActivityRules.HighFailureRateAsync,
        GrantRules.NewPrincipalAsync,
        AuditActivityRules.OffHoursAsync,
        GrantRules.UnusualScopeAsync,
        GrantRules.CascadeAsync,
    ];

    /// <summary>Runs every rule for the developer now and records the findings (nothing is written when there are none).</summary>
    public async Task<DetectionResult> DetectAsync(string developerId, CancellationToken cancellationToken = default)
    {
        var now = time.UtcNowMillis();
        var findings = await FindAsync(developerId, now, cancellationToken);
        if (findings.Count == 0)
        {
            return new DetectionResult(now, [], 0, 0);
        }

        var autoRevoke = options.Value.AutoRevokeHighSeverity;
        return await writes.ExecuteAsync(ctx => recorder.RecordAsync(ctx, developerId, now, findings, autoRevoke, cancellationToken), cancellationToken);
    }

    /// <summary>What the rules find at <paramref name="now"/>, without recording anything.</summary>
    internal async Task<List<AnomalyFinding>> FindAsync(string developerId, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var horizon = now.AddHours(-24);
        var acknowledged = await db.Anomalies.AsNoTracking()
            .Where(a => a.DeveloperId == developerId && a.AcknowledgedAt != null && a.AcknowledgedAt > horizon)
            .GroupBy(a => a.DedupKey)
            .Select(g => new { g.Key, At = g.Max(a => a.AcknowledgedAt)!.Value })
            .ToDictionaryAsync(a => a.Key, a => a.At, StringComparer.Ordinal, cancellationToken);
        var pass = new DetectionPass(db, developerId, now, grantex.Value.MaxDelegationDepth, acknowledged);
        var findings = new List<AnomalyFinding>();
        foreach (var rule in Rules)
        {
            findings.AddRange(await rule(pass, cancellationToken));
        }

        return findings;
    }

    /// <summary>One page of the developer's anomalies, newest first, and how many match the filter in all.</summary>
    public async Task<(Page<Anomaly> Page, int Total)> ListAsync(string developerId, AnomalyFilter filter, Cursor? after, int size, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db.Anomalies.AsNoTracking().Where(a => a.DeveloperId == developerId), filter);
        return (await PageAsync(query, after, size, cancellationToken), await query.CountAsync(cancellationToken));
    }

    public async Task<Anomaly?> GetAsync(string developerId, string anomalyId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Anomalies.AsNoTracking().FirstOrDefaultAsync(a => a.Id == anomalyId && a.DeveloperId == developerId, cancellationToken);
    }

    /// <summary>
    /// Marks the anomaly seen by <paramref name="actor"/>, with an optional note; audited. Acknowledging it again
    /// changes nothing and answers the anomaly as it is (the first acknowledgement stands).
    /// </summary>
    public async Task<Result<Anomaly>> AcknowledgeAsync(string developerId, string anomalyId, string actor, string? notes, CancellationToken cancellationToken = default)
    {
        if (notes is not null && (notes.Length > AnomalyRules.MaxNotesLength || !Validate.Text(notes, AnomalyRules.MaxNotesLength, required: false)))
        {
            return GxError.BadRequest($"notes must be text of at most {AnomalyRules.MaxNotesLength} characters, without control characters.", "notes");
        }

        var note = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        return await writes.ExecuteAsync<Result<Anomaly>>(async ctx =>
        {
            var anomaly = await ctx.Db.Anomalies.FirstOrDefaultAsync(a => a.Id == anomalyId && a.DeveloperId == developerId, cancellationToken);
            if (anomaly is null)
            {
                return GxError.NotFound("Anomaly not found");
            }

            if (!anomaly.IsOpen)
            {
                return anomaly;
            }

            anomaly.AcknowledgedAt = ctx.Now;
            anomaly.AcknowledgedBy = actor.Length > 256 ? actor[..256] : actor;
            anomaly.Notes = note;
            await ctx.AppendAuditAsync(AuditDraft.For(AnomalyRecorder.Subject(anomaly), AuditActions.AnomalyAcknowledged, actor,
                AuditMetadata.With("anomalyId", anomaly.Id).And("type", anomaly.Type).And("severity", anomaly.Severity).And("notes", note)));
            ctx.AfterCommit(() => recorder.Announce(developerId, anomaly.Id));
            return anomaly;
        }, cancellationToken);
    }

    private static IQueryable<Anomaly> Filtered(IQueryable<Anomaly> query, AnomalyFilter filter)
    {
        if (filter.Unacknowledged is { } unacknowledged)
        {
            query = unacknowledged ? query.Where(a => a.AcknowledgedAt == null) : query.Where(a => a.AcknowledgedAt != null);
        }

        if (filter.Type is { } type)
        {
            query = query.Where(a => a.Type == type);
        }

        if (filter.Severity is { } severity)
        {
            query = query.Where(a => a.Severity == severity);
        }

        if (filter.AgentId is { } agentId)
        {
            query = query.Where(a => a.AgentId == agentId);
        }

        if (filter.Since is { } since)
        {
            query = query.Where(a => a.DetectedAt >= since);
        }

        return query;
    }

    /// <summary>Newest first, keyset on (DetectedAt, Id).</summary>
    private static async Task<Page<Anomaly>> PageAsync(IQueryable<Anomaly> query, Cursor? after, int size, CancellationToken cancellationToken)
    {
        if (after is { } cursor)
        {
            var at = Cursor.ToTime(cursor.Key);
            query = query.Where(a => a.DetectedAt < at || (a.DetectedAt == at && string.Compare(a.Id, cursor.Id) < 0));
        }

        var rows = await query.OrderByDescending(a => a.DetectedAt).ThenByDescending(a => a.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? new Cursor(Cursor.FromTime(rows[size - 1].DetectedAt), rows[size - 1].Id).Encode() : null;
        return new Page<Anomaly>(rows.Count > size ? rows[..size] : rows, next);
    }
}
