using System.Diagnostics.Metrics;
using Grantex.Core.Tokens;

namespace Grantex.Core.Telemetry;

/// <summary>
/// The server's own metrics, meter <c>Grantex</c>: the one home of every instrument and its tags. Each is recorded
/// where the thing happens and only once it is durable (after the writer's commit), so a counter never runs ahead of
/// the database. Tags are a fixed small set of constants (no ids, no free text), passed as structs: recording
/// allocates nothing. The meter comes from the host's <see cref="IMeterFactory"/>, so two hosts in one process (the
/// tests) each see only their own measurements.
/// </summary>
public sealed class GrantexMetrics
{
    public const string MeterName = "Grantex";

    private static readonly KeyValuePair<string, object?> Root = new("kind", "root");
    private static readonly KeyValuePair<string, object?> Delegated = new("kind", "delegated");
    private static readonly KeyValuePair<string, object?> Approved = new("decision", "approved");
    private static readonly KeyValuePair<string, object?> Denied = new("decision", "denied");
    private static readonly KeyValuePair<string, object?>[] VerificationResults =
    [
        new("result", "valid"), new("result", "revoked"), new("result", "suspended"), new("result", "expired"), new("result", "invalid"),
    ];

    private static readonly KeyValuePair<string, object?> WebhookDelivered = new("outcome", "delivered");
    private static readonly KeyValuePair<string, object?> WebhookRetry = new("outcome", "retry_scheduled");
    private static readonly KeyValuePair<string, object?> WebhookFailed = new("outcome", "failed");

    // Commits are fsyncs (~0.2 ms here) up to batches of 512 commands under load: finer buckets than the default ones.
    private static readonly double[] CommitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private readonly Meter _meter;
    private readonly Counter<long> _grantsIssued;
    private readonly Counter<long> _grantsRevoked;
    private readonly Counter<long> _verifications;
    private readonly Counter<long> _consentDecisions;
    private readonly Counter<long> _auditAppends;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Histogram<double> _walCheckpointDuration;
    private readonly Histogram<int> _walCheckpointLog;

    public GrantexMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _grantsIssued = _meter.CreateCounter<long>("grantex.grants.issued", "{grant}", "Grants issued (kind: root from a code, delegated from a parent grant).");
        _grantsRevoked = _meter.CreateCounter<long>("grantex.grants.revoked", "{grant}", "Grants revoked, each grant of a cascade counted.");
        _verifications = _meter.CreateCounter<long>("grantex.token.verifications", "{verification}",
            "Online token verifications by result (valid, revoked, suspended, expired, invalid).");
        _consentDecisions = _meter.CreateCounter<long>("grantex.consent.decisions", "{decision}",
            "Authorization requests decided (approved or denied), by a person, the sandbox helper or a policy.");
        _auditAppends = _meter.CreateCounter<long>("grantex.audit.appends", "{entry}", "Audit entries committed to the chains.");
        _commitDuration = _meter.CreateHistogram("grantex.writer.commit.duration", "s",
            "Time the single writer spends on one batch, from opening its transaction to the durable commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        _batchSize = _meter.CreateHistogram("grantex.writer.batch.size", "{command}", "Commands committed together in one writer transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        _walCheckpointDuration = _meter.CreateHistogram("grantex.sqlite.checkpoint.duration", "s",
            "SQLite only: time of one background WAL checkpoint (copying committed pages into the database file, one fsync).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        _walCheckpointLog = _meter.CreateHistogram<int>("grantex.sqlite.checkpoint.log_size", "{page}",
            "SQLite only: pages in the write-ahead log at each background checkpoint (how far the log grows between them).");
        _webhookDeliveries = _meter.CreateCounter<long>("grantex.webhook.deliveries", "{attempt}",
            "Webhook delivery attempts recorded, by outcome (delivered, retry_scheduled, failed = dead-lettered).");
    }

    /// <summary>Reports the writer's queue depth whenever metrics are collected (the writer registers itself once).</summary>
    public void ObserveWriteQueue(Func<int> depth) =>
        _meter.CreateObservableGauge("grantex.writer.queue.depth", depth, "{command}", "Write commands waiting for the single writer.");

    public void GrantIssued(bool delegated) => _grantsIssued.Add(1, delegated ? Delegated : Root);

    public void GrantsRevoked(int count)
    {
        if (count > 0)
        {
            _grantsRevoked.Add(count);
        }
    }

    public void Verified(TokenCheck check) => _verifications.Add(1, VerificationResults[(int)VerificationResult(check)]);

    public void ConsentDecided(bool approved) => _consentDecisions.Add(1, approved ? Approved : Denied);

    public void AuditAppended(int count)
    {
        if (count > 0)
        {
            _auditAppends.Add(count);
        }
    }

    public void WriterCommitted(TimeSpan duration, int commands)
    {
        _commitDuration.Record(duration.TotalSeconds);
        _batchSize.Record(commands);
    }

    public void WalCheckpointed(TimeSpan duration, int logPages)
    {
        _walCheckpointDuration.Record(duration.TotalSeconds);
        _walCheckpointLog.Record(logPages);
    }

    public void WebhookAttempts(int delivered, int retrying, int failed)
    {
        if (delivered > 0)
        {
            _webhookDeliveries.Add(delivered, WebhookDelivered);
        }

        if (retrying > 0)
        {
            _webhookDeliveries.Add(retrying, WebhookRetry);
        }

        if (failed > 0)
        {
            _webhookDeliveries.Add(failed, WebhookFailed);
        }
    }

    /// <summary>The five results a dashboard shows; every other refusal (signature, issuer, developer…) is "invalid".</summary>
    internal static VerificationOutcome VerificationResult(TokenCheck check) => check switch
    {
        TokenCheck.Valid => VerificationOutcome.Valid,
        TokenCheck.Revoked => VerificationOutcome.Revoked,
        TokenCheck.AgentSuspended => VerificationOutcome.Suspended,
        TokenCheck.Expired => VerificationOutcome.Expired,
        _ => VerificationOutcome.Invalid,
    };
}
