using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Grantex.Core.Audit;

/// <summary>
/// The reference server's audit hash ("Era C", wire format §5.1): lowercase hex SHA-256 over a fixed-order JSON
/// object of eleven fields, with only the metadata canonicalised (keys sorted by UTF-16 code unit, recursively).
/// </summary>
public static class AuditHash
{
    // JSON.stringify escapes only quote, backslash and control characters; it leaves '<', '&', non-ASCII as is.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = Encoder, Indented = false };

    // One buffer and writer per thread, reset for each hash: a chain walk over millions of entries allocates nothing here.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Compute(AuditHashInput e)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteString("id", e.Id);
        w.WriteString("agentId", e.AgentId);
        w.WriteString("agentDid", e.AgentDid);
        w.WriteString("grantId", e.GrantId);
        w.WriteString("principalId", e.PrincipalId);
        w.WriteString("developerId", e.DeveloperId);
        w.WriteString("action", e.Action);
        w.WritePropertyName("metadata");
        w.WriteRawValue(e.CanonicalMetadata, skipInputValidation: true);
        w.WriteString("timestamp", e.Timestamp);
        if (e.PrevHash is null)
        {
            w.WriteNull("prevHash");
        }
        else
        {
            w.WriteString("prevHash", e.PrevHash);
        }

        w.WriteString("status", e.Status);
        w.WriteEndObject();
        w.Flush();

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Canonical JSON of a metadata value: object keys sorted by UTF-16 code unit at every depth, no whitespace.</summary>
    public static string Canonicalize(JsonElement metadata)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteCanonical(w, metadata);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCanonical(Utf8JsonWriter w, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                var props = value.EnumerateObject().ToList();
                props.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                string? previous = null;
                foreach (var p in props)
                {
                    // Duplicate keys: JSON.parse keeps the last one; so do we.
                    if (previous == p.Name)
                    {
                        continue;
                    }

                    previous = p.Name;
                    var last = props.FindLast(x => x.Name == p.Name);
                    w.WritePropertyName(p.Name);
                    WriteCanonical(w, last.Value);
                }

                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteCanonical(w, item);
                }

                w.WriteEndArray();
                break;
            case JsonValueKind.Number:
                WriteNumber(w, value);
                break;
            default:
                value.WriteTo(w);
                break;
        }
    }

    // JSON.stringify prints numbers in their shortest round-trip form (1.0 -> 1, 1e2 -> 100).
    private static void WriteNumber(Utf8JsonWriter w, JsonElement value)
    {
        if (value.TryGetInt64(out var l))
        {
            w.WriteNumberValue(l);
        }
        else if (value.TryGetDouble(out var d) && double.IsFinite(d))
        {
            if (Math.Abs(d) < 1e21 && d == Math.Floor(d))
            {
                w.WriteRawValue(d.ToString("0", System.Globalization.CultureInfo.InvariantCulture), skipInputValidation: true);
            }
            else
            {
                w.WriteNumberValue(d);
            }
        }
        else
        {
            value.WriteTo(w);
        }
    }
}
