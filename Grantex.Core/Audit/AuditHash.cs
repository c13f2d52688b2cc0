using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Grantex.Core.Audit;

/// <summary>
/// The reference server's audit hash ("Era C", wire format §5.1): lowercase hex SHA-256 over a fixed-order JSON
/// object of eleven fields, with only the metadata canonicalised (keys sorted by UTF-16 code unit, recursively).
/// Strings and numbers are written exactly as JavaScript's JSON.stringify writes them (<see cref="JsJson"/>).
/// </summary>
public static class AuditHash
{
    [ThreadStatic]
    private static StringBuilder? _builder;

    public static string Compute(AuditHashInput e)
    {
        var sb = Builder();
        sb.Append("{\"id\":");
        JsJson.WriteString(sb, e.Id);
        sb.Append(",\"agentId\":");
        JsJson.WriteString(sb, e.AgentId);
        sb.Append(",\"agentDid\":");
        JsJson.WriteString(sb, e.AgentDid);
        sb.Append(",\"grantId\":");
        JsJson.WriteString(sb, e.GrantId);
        sb.Append(",\"principalId\":");
        JsJson.WriteString(sb, e.PrincipalId);
        sb.Append(",\"developerId\":");
        JsJson.WriteString(sb, e.DeveloperId);
        sb.Append(",\"action\":");
        JsJson.WriteString(sb, e.Action);
        sb.Append(",\"metadata\":").Append(e.CanonicalMetadata);
        sb.Append(",\"timestamp\":");
        JsJson.WriteString(sb, e.Timestamp);
        sb.Append(",\"prevHash\":");
        if (e.PrevHash is null)
        {
            sb.Append("null");
        }
        else
        {
            JsJson.WriteString(sb, e.PrevHash);
        }

        sb.Append(",\"status\":");
        JsJson.WriteString(sb, e.Status);
        sb.Append('}');

        var byteCount = 0;
        foreach (var chunk in sb.GetChunks())
        {
            byteCount += Encoding.UTF8.GetByteCount(chunk.Span);
        }

        var rented = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            var written = 0;
            foreach (var chunk in sb.GetChunks())
            {
                written += Encoding.UTF8.GetBytes(chunk.Span, rented.AsSpan(written));
            }

            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(rented.AsSpan(0, written), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Canonical JSON of a metadata value: object keys sorted by UTF-16 code unit at every depth, no whitespace.</summary>
    public static string Canonicalize(JsonElement metadata)
    {
        var sb = new StringBuilder(256);
        WriteCanonical(sb, metadata);
        return sb.ToString();
    }

    private static StringBuilder Builder()
    {
        var sb = _builder ??= new StringBuilder(1024);
        sb.Clear();
        return sb;
    }

    private static void WriteCanonical(StringBuilder sb, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                // Duplicate keys: JSON.parse keeps the last value, so the last occurrence wins here too.
                var props = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var p in value.EnumerateObject())
                {
                    props[p.Name] = p.Value;
                }

                var names = props.Keys.ToArray();
                Array.Sort(names, StringComparer.Ordinal);
                sb.Append('{');
                for (var i = 0; i < names.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    JsJson.WriteString(sb, names[i]);
                    sb.Append(':');
                    WriteCanonical(sb, props[names[i]]);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteCanonical(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.Number:
                // JSON.parse reads every number as a double; JSON.stringify prints it back in its shortest form.
                JsJson.WriteNumber(sb, value.TryGetDouble(out var d) ? d : double.NaN);
                break;
            case JsonValueKind.String:
                JsJson.WriteString(sb, value.GetString()!);
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }
}
