using System.Text.Json;
using Grantex.Core.Common;
using Grantex.Core.Policies;

namespace Grantex.Core.Compliance;

/// <summary>The small JSON documents of an audit pack: a checkpoint line, verification.json, manifest.json.</summary>
internal static class AuditPackDocuments
{
    public static void WriteCheckpoint(Utf8JsonWriter w, AuditCheckpoint c)
    {
        w.WriteStartObject();
        w.WriteString("checkpointId", c.Id);
        w.WriteString("developerId", c.DeveloperId);
        w.WriteNumber("count", c.EntryCount);
        w.WriteString("headHash", c.HeadHash);
        w.WriteString("headEntryId", c.HeadEntryId);
        w.WriteString("headAt", TimeFormat.Iso(c.HeadTimestamp));
        w.WriteString("createdAt", TimeFormat.Iso(c.CreatedAt));
        w.WriteString("kid", c.Kid);
        w.WriteString("jws", c.Jws);
        w.WriteEndObject();
    }

    /// <summary><c>policies.json</c>: a JSON array of the developer's policies in list order, one per line.</summary>
    public static byte[] PoliciesJson(IReadOnlyList<Policy> policies)
    {
        using var stream = new MemoryStream();
        stream.WriteByte((byte)'[');
        for (var i = 0; i < policies.Count; i++)
        {
            stream.Write(i == 0 ? "\n"u8 : ",\n"u8);
            using var w = new Utf8JsonWriter(stream);
            ComplianceJson.WritePolicy(w, policies[i]);
        }

        stream.Write(policies.Count == 0 ? "]\n"u8 : "\n]\n"u8);
        return stream.ToArray();
    }

    public static byte[] VerificationJson(string developerId, ComplianceFilter window, DateTime generatedAt, ChainIntegrity verification) =>
        Document(w =>
        {
            w.WriteString("verifiedAt", TimeFormat.Iso(generatedAt));
            w.WriteString("developerId", developerId);
            WriteFilters(w, window);
            w.WriteBoolean("intact", verification.Valid);
            w.WriteStartObject("chain");
            ComplianceJson.WriteChainIntegrity(w, verification);
            w.WriteEndObject();
        });

    public static byte[] ManifestJson(string issuer, string developerId, ComplianceFilter window, DateTime generatedAt, string kid, long entries, IReadOnlyList<AuditPackFile> files) =>
        Document(w =>
        {
            w.WriteString("format", AuditPackFormat.Name);
            w.WriteNumber("version", AuditPackFormat.Version);
            w.WriteString("issuer", issuer);
            w.WriteString("developerId", developerId);
            w.WriteString("generatedAt", TimeFormat.Iso(generatedAt));
            WriteFilters(w, window);
            w.WriteNumber("auditEntries", entries);
            w.WriteString("signingKey", kid);
            w.WriteStartArray("files");
            foreach (var f in files)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("sha256", f.Sha256);
                w.WriteNumber("bytes", f.Bytes);
                if (f.Records is { } records)
                {
                    w.WriteNumber("records", records);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        });

    private static void WriteFilters(Utf8JsonWriter w, ComplianceFilter window)
    {
        w.WriteStartObject("filters");
        ComplianceJson.WriteNullable(w, "since", window.SinceText);
        ComplianceJson.WriteNullable(w, "until", window.UntilText);
        w.WriteEndObject();
    }

    private static byte[] Document(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }
}
