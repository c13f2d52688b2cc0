using System.Text.Json;
using System.Text.Json.Serialization;
using Grantex.Core.Common;

namespace Grantex.Core.Events;

/// <summary>An event before the writer gives it its place in the log: who it belongs to, its type and its data.</summary>
public sealed record EventDraft(string DeveloperId, string Type, object Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The log row, with the envelope in the reference's key order: id, type, createdAt, data.</summary>
    internal GrantexEvent ToEvent(DateTime now)
    {
        if (!EventTypes.IsKnown(Type))
        {
            throw new InvalidOperationException($"'{Type}' is not an event type in EventTypes.");
        }

        var id = Ids.New(Ids.Event);
        var body = JsonSerializer.Serialize(new Envelope(id, Type, TimeFormat.Iso(now), Data), Json);
        return new GrantexEvent { Id = id, DeveloperId = DeveloperId, Type = Type, CreatedAt = now, Body = body };
    }

    private sealed record Envelope(string Id, string Type, string CreatedAt, object Data);
}
