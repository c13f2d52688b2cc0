using System.Globalization;
using Grantex.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Anomalies;

/// <summary>
/// The reference's three rules over the audit log, per agent (whatever string was logged as <c>agentId</c>):
/// <c>rate_spike</c>, <c>high_failure_rate</c> and <c>off_hours_activity</c>. The detector's own entries (its actor,
/// and every <c>anomaly.*</c> action) never count, so detection and automatic revocation cannot feed themselves.
/// </summary>
internal static class AuditActivityRules
{
    private sealed record AgentCount(string AgentId, int Total, int Bad, DateTime Last);

    public static async Task<List<AnomalyFinding>> RateSpikeAsync(DetectionPass pass, CancellationToken cancellationToken)
    {
        var start = pass.WindowStart(AnomalyRules.RateSpikeWindowHours);
        var counts = await CountsAsync(pass, AnomalyTypes.RateSpike, [(start, pass.Now)], cancellationToken);
        return [.. counts.Where(c => c.Total > AnomalyRules.RateSpikeThreshold).Select(c => new AnomalyFinding(
            AnomalyTypes.RateSpike, AnomalySeverities.High, c.AgentId, null, "",
            AnomalyFinding.Text($"Agent {c.AgentId} has {c.Total} audit entries in the last hour (more than {AnomalyRules.RateSpikeThreshold})."),
            new Dictionary<string, object?> { ["count"] = c.Total, ["windowHours"] = AnomalyRules.RateSpikeWindowHours, ["threshold"] = AnomalyRules.RateSpikeThreshold },
            [], c.Last))];
    }

    public static async Task<List<AnomalyFinding>> HighFailureRateAsync(DetectionPass pass, CancellationToken cancellationToken)
    {
        var start = pass.WindowStart(AnomalyRules.FailureWindowHours);
        var counts = await CountsAsync(pass, AnomalyTypes.HighFailureRate, [(start, pass.Now)], cancellationToken);
        return [.. counts
            .Where(c => c.Total >= AnomalyRules.FailureMinimumEntries && (double)c.Bad / c.Total > AnomalyRules.FailureThreshold)
            .Select(c =>
            {
                var percent = Math.Round(100.0 * c.Bad / c.Total, 1);
                return new AnomalyFinding(
                    AnomalyTypes.HighFailureRate, AnomalySeverities.Medium, c.AgentId, null, "",
                    AnomalyFinding.Text($"Agent {c.AgentId}: {c.Bad} of {c.Total} audit entries in the last 24 hours failed or were blocked ({percent.ToString(CultureInfo.InvariantCulture)}%, more than 20%)."),
                    new Dictionary<string, object?>
                    {
                        ["badCount"] = c.Bad, ["totalCount"] = c.Total, ["percentFailure"] = percent,
                        ["windowHours"] = AnomalyRules.FailureWindowHours, ["threshold"] = AnomalyRules.FailureThreshold,
                    },
                    [], c.Last);
            })];
    }

    public static async Task<List<AnomalyFinding>> OffHoursAsync(DetectionPass pass, CancellationToken cancellationToken)
    {
        var start = pass.WindowStart(AnomalyRules.OffHoursWindowHours);
        var counts = await CountsAsync(pass, AnomalyTypes.OffHoursActivity, OffHours(start, pass.Now), cancellationToken);
        return [.. counts.Where(c => c.Total > AnomalyRules.OffHoursThreshold).Select(c => new AnomalyFinding(
            AnomalyTypes.OffHoursActivity, AnomalySeverities.Low, c.AgentId, null, "",
            AnomalyFinding.Text($"Agent {c.AgentId} has {c.Total} audit entries between 22:00 and 06:00 UTC in the last 24 hours (more than {AnomalyRules.OffHoursThreshold})."),
            new Dictionary<string, object?> { ["count"] = c.Total, ["windowHours"] = AnomalyRules.OffHoursWindowHours, ["threshold"] = AnomalyRules.OffHoursThreshold },
            [], c.Last))];
    }

    /// <summary>
    /// The off-hours stretches (22:00 to 06:00 UTC, crossing midnight) that overlap (<paramref name="from"/>, <paramref name="to"/>],
    /// clipped to it: as ranges (start excluded, end included) the count query can use.
    /// </summary>
    public static List<(DateTime From, DateTime To)> OffHours(DateTime from, DateTime to)
    {
        var result = new List<(DateTime, DateTime)>();
        for (var day = from.Date.AddDays(-1); day <= to.Date; day = day.AddDays(1))
        {
            // [22:00, next 06:00) as (start - 1 ms, end - 1 ms] in millisecond storage.
            var offStart = day.AddHours(AnomalyRules.OffHoursStartHour).AddMilliseconds(-1);
            var offEnd = day.AddDays(1).AddHours(AnomalyRules.OffHoursEndHour).AddMilliseconds(-1);
            var clippedStart = offStart > from ? offStart : from;
            var clippedEnd = offEnd < to ? offEnd : to;
            if (clippedStart < clippedEnd)
            {
                result.Add((clippedStart, clippedEnd));
            }
        }

        return result;
    }

    /// <summary>
    /// Entries per agent in the ranges (start excluded, end included). An agent whose finding was acknowledged inside the
    /// window is counted again from its acknowledgement.
    /// </summary>
    private static async Task<List<AgentCount>> CountsAsync(DetectionPass pass, string type, List<(DateTime From, DateTime To)> ranges, CancellationToken cancellationToken)
    {
        if (ranges.Count == 0)
        {
            return [];
        }

        var windowStart = ranges[0].From;
        var totals = new Dictionary<string, AgentCount>(StringComparer.Ordinal);
        foreach (var (from, to) in ranges)
        {
            foreach (var c in await GroupAsync(pass, null, from, to, cancellationToken))
            {
                totals[c.AgentId] = totals.TryGetValue(c.AgentId, out var t) ? Merge(t, c) : c;
            }
        }

        var result = new List<AgentCount>(totals.Count);
        foreach (var count in totals.Values)
        {
            if (!pass.AcknowledgedAfter(windowStart, type, count.AgentId, null, ""))
            {
                result.Add(count);
                continue;
            }

            var since = pass.Since(windowStart, type, count.AgentId, null, "");
            AgentCount? recount = null;
            foreach (var (from, to) in ranges.Where(r => r.To > since).Select(r => (r.From > since ? r.From : since, r.To)))
            {
                foreach (var c in await GroupAsync(pass, count.AgentId, from, to, cancellationToken))
                {
                    recount = recount is null ? c : Merge(recount, c);
                }
            }

            if (recount is not null)
            {
                result.Add(recount);
            }
        }

        return result;
    }

    private static AgentCount Merge(AgentCount a, AgentCount b) => new(a.AgentId, a.Total + b.Total, a.Bad + b.Bad, a.Last > b.Last ? a.Last : b.Last);

    private static async Task<List<AgentCount>> GroupAsync(DetectionPass pass, string? agentId, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var query = pass.Db.AuditEntries.AsNoTracking().Where(e =>
            e.DeveloperId == pass.DeveloperId && e.Timestamp > from && e.Timestamp <= to && e.AgentId != ""
            && !e.Action.StartsWith("anomaly.") && (e.Actor == null || e.Actor != AnomalyRules.DetectorActor));
        if (agentId is not null)
        {
            query = query.Where(e => e.AgentId == agentId);
        }

        var rows = await query
            .GroupBy(e => e.AgentId)
            .Select(g => new { AgentId = g.Key, Total = g.Count(), Bad = g.Count(e => e.Status == AuditDraft.Failure || e.Status == AuditDraft.Blocked), Last = g.Max(e => e.Timestamp) })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new AgentCount(r.AgentId, r.Total, r.Bad, r.Last))];
    }
}
