using System.Collections.Frozen;
using System.Threading.Channels;

namespace Grantex.Core.Events;

/// <summary>
/// One client's view of one developer's events, in log order, without a gap or a duplicate: it listens to the
/// <see cref="EventBus"/> from the moment it is made (into a bounded buffer), and reads from the durable
/// <see cref="EventLog"/> whatever the buffer cannot hold — the backlog after a resume point, or live events that
/// overflowed for a slow reader. Every event is handed out once, by increasing <see cref="GrantexEvent.Seq"/>.
/// </summary>
/// <remarks>
/// Why there is no gap at the seam: the bus subscription exists before the first log read, so an event committed
/// before that read is in the log and one committed after it reaches the buffer (the writer publishes after commit,
/// in sequence order). Events in both are skipped by position. On overflow the listener stops buffering and raises
/// a flag; the reader clears the flag, empties the buffer and then reads the log, so anything published meanwhile is
/// either read from the log or buffered afresh.
/// Events written by another process (several nodes on one database) do not reach this process's bus; they appear
/// when the stream next reads the log (after an overflow or on reconnect).
/// </remarks>
public sealed class EventSubscription : IDisposable
{
    /// <summary>Log rows read per query while catching up.</summary>
    public const int PageSize = 200;

    private readonly EventBus _bus;
    private readonly EventLog _log;
    private readonly TimeProvider _time;
    private readonly FrozenSet<string>? _typeSet;
    private readonly IReadOnlyCollection<string>? _types;
    private readonly Channel<GrantexEvent> _live;
    private Action? _release;
    private int _overflowed;
    private bool _catchingUp;

    internal EventSubscription(
        EventBus bus, EventLog log, TimeProvider time, string developerId, IReadOnlyCollection<string>? types, int bufferSize, Action release)
    {
        _bus = bus;
        _log = log;
        _time = time;
        DeveloperId = developerId;
        _types = types is { Count: > 0 } ? types : null;
        _typeSet = _types?.ToFrozenSet(StringComparer.Ordinal);
        _release = release;
        _live = Channel.CreateBounded<GrantexEvent>(new BoundedChannelOptions(bufferSize)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _bus.Published += OnPublished;
    }

    public string DeveloperId { get; }

    /// <summary>The position of the last event handed out (or the start position before the first).</summary>
    public long Position { get; private set; }

    /// <summary>Sets where the stream starts: after <paramref name="afterSeq"/> (replaying the log), or at the log's end.</summary>
    internal async Task StartAsync(long? afterSeq, CancellationToken cancellationToken)
    {
        if (afterSeq is { } position)
        {
            Position = position;
            _catchingUp = true;
        }
        else
        {
            Position = await _log.LastSeqAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The next events in order, waiting at most <paramref name="idle"/> for one; empty when none came in that time
    /// (the caller's cue for a heartbeat).
    /// </summary>
    public async Task<IReadOnlyList<GrantexEvent>> ReadAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Interlocked.Exchange(ref _overflowed, 0) == 1)
            {
                while (_live.Reader.TryRead(out _))
                {
                }

                _catchingUp = true;
            }

            if (_catchingUp)
            {
                var page = await _log.ReadAfterAsync(DeveloperId, Position, _types, PageSize, cancellationToken);

                // A short page means the log is read to its end; whatever is committed later reaches the buffer.
                _catchingUp = page.Count == PageSize;
                if (page.Count > 0)
                {
                    Position = page[^1].Seq;
                    return page;
                }
            }

            var batch = new List<GrantexEvent>();
            while (_live.Reader.TryRead(out var e))
            {
                if (e.Seq > Position)
                {
                    batch.Add(e);
                    Position = e.Seq;
                }
            }

            if (batch.Count > 0)
            {
                return batch;
            }

            if (Volatile.Read(ref _overflowed) == 1)
            {
                continue;
            }

            using var timeout = new CancellationTokenSource(idle, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                await _live.Reader.WaitToReadAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return [];
            }
        }
    }

    public void Dispose()
    {
        _bus.Published -= OnPublished;
        Interlocked.Exchange(ref _release, null)?.Invoke();
    }

    // On the writer's thread after commit: must be quick and never block.
    private void OnPublished(GrantexEvent e)
    {
        if (e.DeveloperId != DeveloperId || (_typeSet is not null && !_typeSet.Contains(e.Type)) || Volatile.Read(ref _overflowed) == 1)
        {
            return;
        }

        if (!_live.Writer.TryWrite(e))
        {
            // Stop buffering until the reader has caught up from the log, so no later event overtakes this one.
            Volatile.Write(ref _overflowed, 1);
        }
    }
}
