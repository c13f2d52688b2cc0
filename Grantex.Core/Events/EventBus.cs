using Microsoft.Extensions.Logging;

namespace Grantex.Core.Events;

/// <summary>
/// Tells in-process listeners (the event stream, the webhook deliverer, the anomaly detector) that events were
/// committed. It carries no durability of its own: a listener that misses a notice (or a process that restarts)
/// catches up from the event log by sequence number. Raised after commit on the writer's thread; handlers must
/// return quickly, and a failing handler is logged and never affects the write.
/// </summary>
public sealed partial class EventBus(ILogger<EventBus> logger)
{
    private long _lastSeq;

    public event Action<GrantexEvent>? Published;

    /// <summary>The highest sequence number committed by this process (0 before the first event).</summary>
    public long LastSeq => Interlocked.Read(ref _lastSeq);

    internal void Publish(GrantexEvent committed)
    {
        if (committed.Seq > Interlocked.Read(ref _lastSeq))
        {
            Interlocked.Exchange(ref _lastSeq, committed.Seq);
        }

        var handlers = Published;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<GrantexEvent>>())
        {
            try
            {
                handler(committed);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogHandlerFailed(logger, ex, committed.Type);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An event subscriber failed while handling {Type}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, string type);
}
