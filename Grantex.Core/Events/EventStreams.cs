using Grantex.Core.Common;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Events;

/// <summary>
/// Opens event subscriptions for the stream endpoint: checks the requested types against the catalogue, finds a
/// resume point in the log, and holds each developer to <see cref="EventStreamOptions.MaxStreamsPerDeveloper"/>
/// open streams (a slot is given back when its subscription is disposed, i.e. when the client goes away).
/// </summary>
public sealed class EventStreams(EventBus bus, EventLog log, TimeProvider time, IOptions<EventStreamOptions> options)
{
    private const int MaxEventIdLength = 64;
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    public EventStreamOptions Options { get; } = options.Value;

    /// <summary>How many streams the developer holds open now.</summary>
    public int OpenCount(string developerId)
    {
        lock (_open)
        {
            return _open.GetValueOrDefault(developerId);
        }
    }

    /// <summary>
    /// The types of a <c>types=a,b</c> filter (empty: every type); an unknown one is refused naming the valid ones,
    /// as the reference does for webhooks.
    /// </summary>
    public static Result<IReadOnlyList<string>> ParseTypes(string? types)
    {
        var list = (types ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        var unknown = list.Where(t => !EventTypes.IsKnown(t)).ToList();
        if (unknown.Count > 0)
        {
            return GxError.BadRequest(
                $"Invalid event types: {string.Join(", ", unknown.Select(Shown))}. Valid: {string.Join(", ", EventTypes.All)}", "types");
        }

        return list;
    }

    /// <summary>
    /// A subscription to the developer's events of <paramref name="types"/> (all when empty): after the event
    /// <paramref name="lastEventId"/> when given (replaying the log), else from now. Dispose it to close the stream.
    /// </summary>
    public async Task<Result<EventSubscription>> OpenAsync(
        string developerId, IReadOnlyList<string> types, string? lastEventId, CancellationToken cancellationToken = default)
    {
        long? after = null;
        if (!string.IsNullOrEmpty(lastEventId))
        {
            after = lastEventId.Length <= MaxEventIdLength ? await log.FindSeqAsync(developerId, lastEventId, cancellationToken) : null;
            if (after is null)
            {
                return GxError.BadRequest(
                    $"Last-Event-ID {Shown(lastEventId)} is not one of your events; reconnect without it to start from now.", "lastEventId");
            }
        }

        if (!TryAcquire(developerId))
        {
            return new GxError(GxErrorKind.TooManyRequests, ErrorCodes.TooManyConnections,
                $"Too many open event streams: at most {Options.MaxStreamsPerDeveloper} per developer. Close one and retry.");
        }

        var subscription = new EventSubscription(bus, log, time, developerId, types, Options.LiveBufferSize, () => Release(developerId));
        try
        {
            await subscription.StartAsync(after, cancellationToken);
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    private bool TryAcquire(string developerId)
    {
        lock (_open)
        {
            var count = _open.GetValueOrDefault(developerId);
            if (count >= Options.MaxStreamsPerDeveloper)
            {
                return false;
            }

            _open[developerId] = count + 1;
            return true;
        }
    }

    private void Release(string developerId)
    {
        lock (_open)
        {
            if (_open.GetValueOrDefault(developerId) <= 1)
            {
                _open.Remove(developerId);
            }
            else
            {
                _open[developerId]--;
            }
        }
    }

    // Echoed input, cut short so a long value does not fill the message.
    private static string Shown(string value) => "'" + (value.Length > MaxEventIdLength ? value[..MaxEventIdLength] + "…" : value) + "'";
}
