using System.Text.Json;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Grantex.Core.IO;

namespace Grantex.Core.Compliance;

/// <summary>
/// The compliance reports (wire format §7.4), for the REST API and the console alike: the summary, the grant and
/// audit exports (JSON or CSV) and the evidence pack. Every report reads one consistent snapshot and is written to the
/// output as it is read, so its size never shows in memory.
/// </summary>
public sealed class ComplianceService(IDbContextFactory<GrantexDbContext> factory, CheckpointService checkpoints, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Frameworks = ["all", "soc2", "gdpr"];

    public async Task<ComplianceSummary> GetSummaryAsync(string developerId, ComplianceFilter filter, CancellationToken cancellationToken = default)
    {
        await using var snapshot = await ReadSnapshot.OpenAsync(factory, cancellationToken);
        return await ComplianceQueries.SummaryAsync(snapshot.Db, developerId, filter, time.UtcNowMillis(), cancellationToken);
    }

    /// <summary>Grants issued in the window (newest first): <c>{generatedAt, total, grants:[…]}</c>, or CSV rows.</summary>
    public async Task WriteGrantsExportAsync(string developerId, ComplianceFilter filter, ExportFormat format, Stream output, CancellationToken cancellationToken = default)
    {
        await using var snapshot = await ReadSnapshot.OpenAsync(factory, cancellationToken);
        var now = time.UtcNowMillis();
        var grants = ComplianceQueries.Grants(snapshot.Db, developerId, filter, now);
        if (format == ExportFormat.Csv)
        {
            await ComplianceCsv.WriteGrantsAsync(grants.AsAsyncEnumerable(), now, output, cancellationToken);
            return;
        }

        var total = await grants.CountAsync(cancellationToken);
        await WriteListAsync(output, now, total, "grants", grants.AsAsyncEnumerable(), (w, grant) => ComplianceJson.WriteGrant(w, grant, now), cancellationToken);
    }

    /// <summary>Audit entries in the window, in chain order: <c>{generatedAt, total, entries:[…]}</c>, or CSV rows.</summary>
    public async Task WriteAuditExportAsync(string developerId, ComplianceFilter filter, ExportFormat format, Stream output, CancellationToken cancellationToken = default)
    {
        await using var snapshot = await ReadSnapshot.OpenAsync(factory, cancellationToken);
        var now = time.UtcNowMillis();
        var entries = ComplianceQueries.AuditEntries(snapshot.Db, developerId, filter);
        if (format == ExportFormat.Csv)
        {
            await ComplianceCsv.WriteAuditAsync(entries.AsAsyncEnumerable(), output, cancellationToken);
            return;
        }

        var total = await entries.LongCountAsync(cancellationToken);
        await WriteListAsync(output, now, total, "entries", entries.AsAsyncEnumerable(), ComplianceJson.WriteAuditEntry, cancellationToken);
    }

    /// <summary>An export's JSON: <c>{generatedAt, total, &lt;name&gt;: [...]}</c>, streamed item by item with constant memory.</summary>
    private static async Task WriteListAsync<T>(
        Stream output, DateTime now, long total, string name, IAsyncEnumerable<T> items, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        await using var json = new JsonStreamWriter(output);
        var w = json.Json;
        w.WriteStartObject();
        w.WriteString("generatedAt", TimeFormat.Iso(now));
        w.WriteNumber("total", total);
        w.WriteStartArray(name);
        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            write(w, item);
            await json.FlushIfFullAsync(cancellationToken);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// REF's evidence pack: <c>meta, summary, grants, auditEntries, policies, chainIntegrity</c>. The chain is verified
    /// while its entries are written, and compared with the signed checkpoints whose head lies in the window.
    /// </summary>
    public async Task WriteEvidencePackAsync(string developerId, ComplianceFilter filter, string framework, Stream output, CancellationToken cancellationToken = default)
    {
        var window = filter with { AgentId = null, Status = null };
        await using var snapshot = await ReadSnapshot.OpenAsync(factory, cancellationToken);
        var db = snapshot.Db;
        var now = time.UtcNowMillis();
        var summary = await ComplianceQueries.SummaryAsync(db, developerId, window, now, cancellationToken);
        var readings = await checkpoints.ForWindowAsync(db, developerId, window.Since, window.Until, cancellationToken);
        var verifier = new WindowVerifier(window.Since is null, readings.Select(r => r.Reading), developerId, window.Since, window.Until);

        await using var json = new JsonStreamWriter(output);
        var w = json.Json;
        w.WriteStartObject();
        w.WriteStartObject("meta");
        w.WriteString("schemaVersion", "1.0");
        w.WriteString("generatedAt", TimeFormat.Iso(now));
        WriteWindow(w, window);
        w.WriteString("framework", framework);
        w.WriteEndObject();
        w.WriteStartObject("summary");
        ComplianceJson.WriteSummaryCounts(w, summary);
        w.WriteEndObject();

        w.WriteStartArray("grants");
        await foreach (var grant in ComplianceQueries.Grants(db, developerId, window, now).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            ComplianceJson.WriteGrant(w, grant, now);
            await json.FlushIfFullAsync(cancellationToken);
        }

        w.WriteEndArray();
        w.WriteStartArray("auditEntries");
        await foreach (var entry in AuditEntryReader.ReadAsync(db, developerId, window.Since, window.Until, cancellationToken))
        {
            ComplianceJson.WriteAuditEntry(w, entry);
            verifier.Feed(entry);
            await json.FlushIfFullAsync(cancellationToken);
        }

        w.WriteEndArray();
        w.WriteStartArray("policies");
        await foreach (var policy in ComplianceQueries.Policies(db, developerId).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            ComplianceJson.WritePolicy(w, policy);
        }

        w.WriteEndArray();
        w.WriteStartObject("chainIntegrity");
        ComplianceJson.WriteChainIntegrity(w, verifier.Finish());
        w.WriteEndObject();
        w.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    /// <summary>The whole chain walked and compared with the latest checkpoint (<c>GET /v1/audit/verify</c>, the console).</summary>
    /// <remarks>
    /// The chain is compared with the latest checkpoint in the database and with the newest genuine one kept outside it
    /// (<see cref="CheckpointJournal"/>), so deleting the tail together with the checkpoint rows still reads as a cut.
    /// The journal is read before the snapshot opens: every checkpoint in it then lies within the snapshot's chain.
    /// </remarks>
    public async Task<ChainIntegrity> VerifyChainAsync(string developerId, CancellationToken cancellationToken = default)
    {
        var journaled = await checkpoints.NewestInJournalAsync(developerId, cancellationToken);
        await using var snapshot = await ReadSnapshot.OpenAsync(factory, cancellationToken);
        var db = snapshot.Db;
        List<CheckpointReading> latest = [];
        if (await CheckpointService.LatestAsync(db, developerId, cancellationToken) is { } checkpoint)
        {
            latest.Add(await CheckpointToken.ReadAsync(checkpoint.Jws, checkpoints.VerificationKeys));
        }

        if (journaled is not null && latest.All(r => r.Claims?.Id != journaled.Claims?.Id))
        {
            latest.Add(journaled);
            latest.Sort((a, b) => (a.Claims?.Count ?? 0).CompareTo(b.Claims?.Count ?? 0));
        }

        // The chain is read in one range per core (the first on this snapshot, the rest bounded by its last position)
        // and the entries at the checkpoints' head positions come back for the consistency check.
        var consistency = new CheckpointConsistency(latest, developerId);
        var scan = await ChainScan.ScanAsync(db, factory, developerId, consistency.PendingPositions, segments: null, cancellationToken);
        foreach (var (chainIndex, id, hash) in scan.Observed)
        {
            consistency.Observe(chainIndex, id, hash);
        }

        if (scan.Last is { } last)
        {
            consistency.Observe(last.ChainIndex, last.Id, last.Hash);
        }

        return ChainIntegrity.From(scan.Walk, consistency.Finish(), scan.Rows, WindowVerifier.Edge(scan.First), WindowVerifier.Edge(scan.Last), firstLinkChecked: true);
    }

    internal static void WriteWindow(System.Text.Json.Utf8JsonWriter w, ComplianceFilter filter)
    {
        if (filter.SinceText is { } since)
        {
            w.WriteString("since", since);
        }

        if (filter.UntilText is { } until)
        {
            w.WriteString("until", until);
        }
    }
}
