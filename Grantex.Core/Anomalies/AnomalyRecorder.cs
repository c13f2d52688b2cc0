using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Events;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Anomalies;

/// <summary>
/// The write half of a detection pass, inside one writer command (short: one indexed lookup, then inserts). Each
/// finding either updates the open anomaly with its key, is skipped because an acknowledgement already covers its
/// evidence, or becomes a new row — with its <c>anomaly.detected</c> event and audit entry in the same transaction.
/// Rows are never deleted. With automatic revocation on, each agent of a new or grown high-severity anomaly loses
/// its active grants through the cascade revoker (revocation index, <c>grant.revoked</c> events and audit included).
/// </summary>
public sealed class AnomalyRecorder(GrantRevoker revoker, ChangeNotifier changes)
{
    internal async Task<DetectionResult> RecordAsync(
        WriteContext ctx, string developerId, DateTime detectedAt, IReadOnlyList<AnomalyFinding> findings, bool autoRevoke, CancellationToken cancellationToken)
    {
        // A finding's key is a SHA-256 computed on each read: compute it once, and find the stored rows of a key by
        // lookup, not by a scan of every stored row per finding (a busy developer's pass has thousands of findings).
        var keyed = findings.Select(f => (Finding: f, Key: f.Key)).ToList();
        var keys = keyed.Select(k => k.Key).Distinct(StringComparer.Ordinal).ToList();
        var stored = await ctx.Db.Anomalies.Where(a => a.DeveloperId == developerId && keys.Contains(a.DedupKey)).ToListAsync(cancellationToken);
        var byKey = new Dictionary<string, List<Anomaly>>(StringComparer.Ordinal);
        foreach (var row in stored)
        {
            RowsOf(byKey, row.DedupKey).Add(row);
        }

        var holding = new List<Anomaly>();
        var changed = new List<string>();
        var created = 0;
        var flagged = new Dictionary<string, List<Anomaly>>(StringComparer.Ordinal);
        foreach (var (finding, key) in keyed)
        {
            var rows = RowsOf(byKey, key);
            var open = rows.FirstOrDefault(a => a.IsOpen);
            if (open is not null)
            {
                if (Update(open, finding, ctx.Now))
                {
                    changed.Add(open.Id);
                    Flag(flagged, open);
                }

                holding.Add(open);
                continue;
            }

            var lastAcknowledged = rows.Where(a => a.AcknowledgedAt is not null).Max(a => a.AcknowledgedAt);
            if (lastAcknowledged >= finding.EvidenceAt)
            {
                continue;
            }

            var anomaly = New(developerId, finding, ctx.Now);
            ctx.Db.Anomalies.Add(anomaly);
            rows.Add(anomaly);
            holding.Add(anomaly);
            changed.Add(anomaly.Id);
            created++;
            Flag(flagged, anomaly);
            ctx.Emit(new EventDraft(developerId, EventTypes.AnomalyDetected, AnomalyData.From(anomaly)));
            await ctx.AppendAuditAsync(AuditDraft.For(Subject(anomaly), AuditActions.AnomalyDetected, AnomalyRules.DetectorActor,
                AuditMetadata.With("anomalyId", anomaly.Id).And("type", anomaly.Type).And("severity", anomaly.Severity)));
        }

        var revoked = autoRevoke ? await AutoRevokeAsync(ctx, developerId, flagged, cancellationToken) : 0;
        if (changed.Count > 0)
        {
            ctx.AfterCommit(() => Announce(developerId, [.. changed]));
        }

        return new DetectionResult(detectedAt, holding, created, revoked);
    }

    private async Task<int> AutoRevokeAsync(WriteContext ctx, string developerId, Dictionary<string, List<Anomaly>> flagged, CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var (agentId, anomalies) in flagged)
        {
            var types = string.Join(",", anomalies.Select(a => a.Type).Distinct(StringComparer.Ordinal));
            var count = await revoker.RevokeAgentAsync(ctx, developerId, agentId, AnomalyRules.DetectorActor, "anomaly:" + types, cancellationToken);
            if (count == 0)
            {
                continue;
            }

            total += count;
            var ids = anomalies.Select(a => a.Id).ToList();
            ctx.Emit(new EventDraft(developerId, EventTypes.AnomalyAutoRevoked, new AnomalyAutoRevokedData(agentId, count, ids.Count, ids)));
            await ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(developerId, agentId), AuditActions.AnomalyAutoRevoked, AnomalyRules.DetectorActor,
                AuditMetadata.With("anomalyIds", ids).And("revokedGrants", count)));
        }

        return total;
    }

    /// <summary>Tells open console pages (after commit).</summary>
    public void Announce(string developerId, params string[] anomalyIds) => changes.Publish(ChangeKind.AnomaliesChanged, developerId, anomalyIds);

    private static List<Anomaly> RowsOf(Dictionary<string, List<Anomaly>> byKey, string key)
    {
        if (!byKey.TryGetValue(key, out var rows))
        {
            byKey[key] = rows = [];
        }

        return rows;
    }

    /// <summary>Only high-severity anomalies of a known agent can revoke.</summary>
    private static void Flag(Dictionary<string, List<Anomaly>> flagged, Anomaly anomaly)
    {
        if (anomaly.Severity != AnomalySeverities.High || string.IsNullOrEmpty(anomaly.AgentId))
        {
            return;
        }

        if (!flagged.TryGetValue(anomaly.AgentId, out var list))
        {
            flagged[anomaly.AgentId] = list = [];
        }

        list.Add(anomaly);
    }

    /// <summary>Brings an open anomaly's figures up to date; false when nothing changed (then nothing is written).</summary>
    private static bool Update(Anomaly open, AnomalyFinding finding, DateTime now)
    {
        var metadata = finding.MetadataJson;
        if (open.MetadataJson == metadata && open.Severity == finding.Severity && open.Description == Bounded(finding.Description) && open.GrantIds.SequenceEqual(finding.GrantIds))
        {
            return false;
        }

        open.MetadataJson = metadata;
        open.Severity = finding.Severity;
        open.Description = Bounded(finding.Description);
        open.GrantIds = [.. finding.GrantIds];
        open.UpdatedAt = now;
        return true;
    }

    private static Anomaly New(string developerId, AnomalyFinding finding, DateTime now) => new()
    {
        Id = Ids.New(Ids.Anomaly),
        DeveloperId = developerId,
        Type = finding.Type,
        Severity = finding.Severity,
        AgentId = finding.AgentId,
        PrincipalId = finding.PrincipalId,
        Description = Bounded(finding.Description),
        MetadataJson = finding.MetadataJson,
        GrantIds = [.. finding.GrantIds],
        DedupKey = finding.Key,
        DetectedAt = now,
        UpdatedAt = now,
    };

    private static string Bounded(string description) => description.Length > 1024 ? description[..1021] + "..." : description;

    internal static AuditSubject Subject(Anomaly a) =>
        new(a.DeveloperId, a.AgentId ?? "", a.GrantIds.Count > 0 ? a.GrantIds[0] : "", a.PrincipalId ?? "");
}
