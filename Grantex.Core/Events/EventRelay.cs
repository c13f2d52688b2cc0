using Grantex.Core.Persistence;

namespace Grantex.Core.Events;

/// <summary>
/// With several nodes (PostgreSQL), the event bus of every node is fed from the log instead of by its own writer:
/// a transaction that wrote events announces it, and each node's listener reads the log after the last position it
/// published and publishes in sequence order — its own events and every other node's alike. The writer takes the
/// event-log lock before inserting events, so sequence order is commit order and reading "after N" never skips an
/// event that commits later. So SSE streams, webhook wake-ups and anomaly detection on every node see every event.
/// </summary>
public sealed class EventRelay(EventLog log, EventBus bus, ClusterNotifications cluster)
{
    private long _position;

    /// <summary>Registers the handler, starting after the log's current end (what came before is read by position).</summary>
    public async Task AttachAsync(CancellationToken cancellationToken = default)
    {
        if (!cluster.Enabled)
        {
            return;
        }

        _position = await log.LastSeqAsync(cancellationToken);
        cluster.On('e', (_, _) => CatchUpAsync(CancellationToken.None));
        cluster.OnReconnected(CatchUpAsync);
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await log.ReadAllAfterAsync(_position, EventLog.MaxPage, cancellationToken);
            foreach (var e in page)
            {
                bus.Publish(e);
                _position = e.Seq;
            }

            if (page.Count < EventLog.MaxPage)
            {
                return;
            }
        }
    }
}
