namespace Grantex.Core.Events;

/// <summary>
/// One row of the durable event log. <see cref="Seq"/> orders the log (it is the event stream's resume point);
/// <see cref="Body"/> is the envelope exactly as it is sent (webhook body, stream data line), so the bytes a
/// signature covers never change between attempts.
/// </summary>
public sealed class GrantexEvent
{
    public long Seq { get; set; }

    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string Type { get; init; }

    public DateTime CreatedAt { get; init; }

    public required string Body { get; init; }
}
