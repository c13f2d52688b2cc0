using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Grantex.Core.Compliance;

/// <summary>
/// What a checkpoint states: the developer's chain had <see cref="Count"/> entries, the last one (position
/// <c>Count - 1</c>) is <see cref="HeadEntryId"/> with hash <see cref="HeadHash"/> and timestamp <see cref="HeadAt"/>;
/// signed by <see cref="Issuer"/> at <see cref="IssuedAt"/> (Unix seconds).
/// </summary>
public sealed record CheckpointClaims(string Id, string Issuer, string DeveloperId, long Count, string HeadHash, string HeadEntryId, string HeadAt, long IssuedAt)
{
    /// <summary>The payload's own <c>typ</c> claim (the JWS header says <see cref="CheckpointToken.Type"/>).</summary>
    public const string PayloadType = "grantex-checkpoint";

    public long HeadPosition => Count - 1;

    public DateTime? HeadTimestamp =>
        DateTime.TryParse(HeadAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public DateTime SignedAt => DateTime.UnixEpoch.AddSeconds(IssuedAt);

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("typ", PayloadType);
            w.WriteString("iss", Issuer);
            w.WriteString("id", Id);
            w.WriteString("dev", DeveloperId);
            w.WriteNumber("count", Count);
            w.WriteString("headHash", HeadHash);
            w.WriteString("headId", HeadEntryId);
            w.WriteString("headAt", HeadAt);
            w.WriteNumber("iat", IssuedAt);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a checkpoint payload; null when it is not one (wrong <c>typ</c>, missing or mistyped fields).</summary>
    public static CheckpointClaims? FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "typ") != PayloadType)
            {
                return null;
            }

            var id = Text(root, "id");
            var iss = Text(root, "iss");
            var dev = Text(root, "dev");
            var head = Text(root, "headHash");
            var headId = Text(root, "headId");
            var headAt = Text(root, "headAt");
            if (id is null || iss is null || dev is null || head is null || headId is null || headAt is null
                || !root.TryGetProperty("count", out var count) || count.ValueKind != JsonValueKind.Number || !count.TryGetInt64(out var n) || n < 1
                || !root.TryGetProperty("iat", out var iat) || iat.ValueKind != JsonValueKind.Number || !iat.TryGetInt64(out var issued))
            {
                return null;
            }

            return new CheckpointClaims(id, iss, dev, n, head, headId, headAt, issued);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
