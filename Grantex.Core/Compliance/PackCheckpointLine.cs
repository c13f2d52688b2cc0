using System.Text.Json;

namespace Grantex.Core.Compliance;

/// <summary>A line of <c>checkpoints.jsonl</c>: the JWS, and its fields decoded for people (which must match the JWS).</summary>
internal sealed record PackCheckpointLine(string? Id, long? Count, string? HeadHash, string? HeadEntryId, string? HeadAt, string? DeveloperId)
{
    public static (string? Jws, PackCheckpointLine? Decoded) Parse(ReadOnlyMemory<byte> line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "jws") is not { } jws)
            {
                return (null, null);
            }

            long? count = root.TryGetProperty("count", out var c) && c.TryGetInt64(out var n) ? n : null;
            return (jws, new PackCheckpointLine(Text(root, "checkpointId"), count, Text(root, "headHash"), Text(root, "headEntryId"), Text(root, "headAt"), Text(root, "developerId")));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    public bool Matches(CheckpointClaims c) =>
        Id == c.Id && Count == c.Count && HeadHash == c.HeadHash && HeadEntryId == c.HeadEntryId && HeadAt == c.HeadAt && DeveloperId == c.DeveloperId;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
