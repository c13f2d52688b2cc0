using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grantex.Core.Common;

namespace Grantex.Console.Api;

/// <summary>Writes times as JavaScript's toISOString() does (<c>2026-02-01T12:34:56.789Z</c>); reads any ISO-8601 time.</summary>
public sealed class IsoDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(TimeFormat.Iso(value));
}
