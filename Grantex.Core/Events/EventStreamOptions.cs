using System.ComponentModel.DataAnnotations;

namespace Grantex.Core.Events;

/// <summary>Settings of the event stream (<c>GET /v1/events/stream</c>) under <c>Grantex:Events</c>.</summary>
public sealed class EventStreamOptions
{
    public const string Section = "Grantex:Events";

    /// <summary>
    /// Seconds of silence after which a <c>: keepalive</c> comment is sent (the reference's 30 s), so proxies and
    /// clients can tell an idle stream from a dead one.
    /// </summary>
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 30;

    /// <summary>Open streams one developer may hold at once (the reference's 5); one more is refused with 429.</summary>
    [Range(1, 1000)]
    public int MaxStreamsPerDeveloper { get; set; } = 5;

    /// <summary>
    /// Live events held for one slow client. When they overflow nothing is dropped: the stream reads the rest from
    /// the durable log instead, so this bounds memory, not delivery.
    /// </summary>
    [Range(1, 100_000)]
    public int LiveBufferSize { get; set; } = 1000;

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);
}
