using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Grants;

namespace Grantex.Core.Compliance;

/// <summary>
/// The CSV forms of the grant and audit exports (CsvHelper, RFC 4180 quoting). Cells that a spreadsheet would run as
/// a formula (starting with <c>= + - @</c>, tab or CR) are escaped with a leading apostrophe. Rows are written as they
/// are read, and sent asynchronously.
/// </summary>
internal static class ComplianceCsv
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        InjectionOptions = InjectionOptions.Escape,
        NewLine = "\r\n",
    };

    public static async Task WriteGrantsAsync(IAsyncEnumerable<Grant> grants, DateTime now, Stream output, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(output, new UTF8Encoding(false), 32 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(text, Configuration, leaveOpen: true);
        foreach (var header in (string[])["grantId", "agentId", "principalId", "developerId", "scopes", "status", "issuedAt", "expiresAt", "revokedAt", "delegationDepth", "parentGrantId"])
        {
            csv.WriteField(header);
        }

        await csv.NextRecordAsync();
        await foreach (var g in grants.WithCancellation(cancellationToken))
        {
            csv.WriteField(g.Id);
            csv.WriteField(g.AgentId);
            csv.WriteField(g.PrincipalId);
            csv.WriteField(g.DeveloperId);
            csv.WriteField(JsonSerializer.Serialize(g.Scopes));
            csv.WriteField(g.EffectiveStatus(now));
            csv.WriteField(TimeFormat.Iso(g.IssuedAt));
            csv.WriteField(TimeFormat.Iso(g.ExpiresAt));
            csv.WriteField(g.RevokedAt is { } r ? TimeFormat.Iso(r) : "");
            csv.WriteField(g.DelegationDepth.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(g.ParentGrantId ?? "");
            await csv.NextRecordAsync();
        }

        await csv.FlushAsync();
    }

    public static async Task WriteAuditAsync(IAsyncEnumerable<AuditEntry> entries, Stream output, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(output, new UTF8Encoding(false), 32 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(text, Configuration, leaveOpen: true);
        foreach (var header in (string[])["entryId", "chainIndex", "timestamp", "agentId", "agentDid", "grantId", "principalId", "developerId", "action", "status", "metadata", "prevHash", "hash"])
        {
            csv.WriteField(header);
        }

        await csv.NextRecordAsync();
        await foreach (var e in entries.WithCancellation(cancellationToken))
        {
            csv.WriteField(e.Id);
            csv.WriteField(e.ChainIndex.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(TimeFormat.Iso(e.Timestamp));
            csv.WriteField(e.AgentId);
            csv.WriteField(e.AgentDid);
            csv.WriteField(e.GrantId);
            csv.WriteField(e.PrincipalId);
            csv.WriteField(e.DeveloperId);
            csv.WriteField(e.Action);
            csv.WriteField(e.Status);
            csv.WriteField(e.MetadataJson);
            csv.WriteField(e.PrevHash ?? "");
            csv.WriteField(e.Hash);
            await csv.NextRecordAsync();
        }

        await csv.FlushAsync();
    }
}
