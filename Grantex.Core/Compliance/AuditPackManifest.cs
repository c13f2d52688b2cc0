using System.Globalization;
using System.Text.Json;

namespace Grantex.Core.Compliance;

/// <summary>The parsed <c>manifest.json</c> of an audit pack.</summary>
public sealed record AuditPackManifest(
    string DeveloperId,
    string GeneratedAt,
    string? Since,
    string? Until,
    string? Issuer,
    string? SigningKey,
    long? AuditEntries,
    IReadOnlyList<AuditPackFile> Files)
{
    public DateTime? SinceTime => ParseTime(Since);

    public DateTime? UntilTime => ParseTime(Until);

    /// <summary>Reads a manifest; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static AuditPackManifest Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "format") != AuditPackFormat.Name)
            {
                throw new FormatException($"it is not a {AuditPackFormat.Name} manifest");
            }

            if (!root.TryGetProperty("version", out var version) || !version.TryGetInt32(out var v) || v != AuditPackFormat.Version)
            {
                throw new FormatException($"it is not version {AuditPackFormat.Version} of the format");
            }

            var developer = Text(root, "developerId") ?? throw new FormatException("it names no developerId");
            var generated = Text(root, "generatedAt") ?? throw new FormatException("it has no generatedAt");
            string? since = null, until = null;
            if (root.TryGetProperty("filters", out var filters) && filters.ValueKind == JsonValueKind.Object)
            {
                since = Text(filters, "since");
                until = Text(filters, "until");
            }

            if ((since is not null && ParseTime(since) is null) || (until is not null && ParseTime(until) is null))
            {
                throw new FormatException("its filters are not ISO-8601 times");
            }

            if (!root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("it has no files list");
            }

            var list = new List<AuditPackFile>();
            foreach (var f in files.EnumerateArray())
            {
                var name = f.ValueKind == JsonValueKind.Object ? Text(f, "name") : null;
                var sha = f.ValueKind == JsonValueKind.Object ? Text(f, "sha256") : null;
                if (name is null || sha is null || !f.TryGetProperty("bytes", out var bytes) || !bytes.TryGetInt64(out var size))
                {
                    throw new FormatException("a files entry lacks name, sha256 or bytes");
                }

                long? records = f.TryGetProperty("records", out var r) && r.TryGetInt64(out var n) ? n : null;
                list.Add(new AuditPackFile(name, sha, size, records));
            }

            long? entries = root.TryGetProperty("auditEntries", out var e) && e.TryGetInt64(out var count) ? count : null;
            return new AuditPackManifest(developer, generated, since, until, Text(root, "issuer"), Text(root, "signingKey"), entries, list);
        }
        catch (JsonException ex)
        {
            throw new FormatException("it is not valid JSON", ex);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTime? ParseTime(string? text) =>
        text is not null && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
