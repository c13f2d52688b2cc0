using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Grantex.Core.Persistence;

/// <summary>
/// How the nodes on one PostgreSQL database tell each other what changed (LISTEN/NOTIFY on one channel). A message
/// is <c>node|kind|data</c>; features register a handler per kind (revocations, signing keys, console changes,
/// events). Messages about a write are sent inside the writer's transaction (<see cref="WriteContext.AnnounceAsync"/>),
/// so they are delivered exactly when the change is committed, in commit order, to every node including this one.
/// <para>
/// <see cref="SyncAsync"/> is the read barrier online verification uses: this node sends itself a marker and waits
/// until its listening connection has received it. PostgreSQL delivers notifications in commit order, so by then
/// every message committed before the marker — a revocation another node confirmed to its client — has been
/// handled. Concurrent callers share one marker. While the listening connection is down the barrier fails (the
/// caller answers "unavailable", never from a stale index); on reconnect, LISTEN comes first, then the reconnect
/// handlers reload their state from the database, and only then does the barrier work again.
/// </para>
/// On SQLite (one process) nothing is sent, the barrier is free and handlers are never called.
/// </summary>
public sealed partial class ClusterNotifications : IAsyncDisposable
{
    public const string Channel = "grantex";

    // NOTIFY payloads must stay below 8000 bytes.
    public const int MaxPayload = 7800;

    private readonly IDatabaseProvider _provider;
    private readonly ILogger<ClusterNotifications> _logger;
    private readonly Dictionary<char, Func<string, bool, Task>> _handlers = [];
    private readonly List<Func<CancellationToken, Task>> _reconnectHandlers = [];
    private readonly Channel<string> _inbox = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<long, TaskCompletionSource<bool>> _markers = [];
    private TaskCompletionSource<bool>? _openRound;
    private bool _senderRunning;
    private long _markerCount;
    private TaskCompletionSource? _reloaded;
    private Task? _listener;
    private Task? _consumer;
    private volatile bool _listening;

    public ClusterNotifications(IDatabaseProvider provider, ILogger<ClusterNotifications> logger)
    {
        _provider = provider;
        _logger = logger;
    }

    /// <summary>This process's id in messages (random per start).</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N")[..12];

    public bool Enabled => _provider.Kind == DatabaseProviderKind.PostgreSQL;

    /// <summary>True while the listening connection is up (always true on SQLite).</summary>
    public bool Listening => !Enabled || _listening;

    /// <summary>
    /// Handles messages of <paramref name="kind"/>; the handler gets the data and whether this node sent it. Handlers
    /// run one at a time, in commit order, on one background loop.
    /// </summary>
    public void On(char kind, Func<string, bool, Task> handler) => _handlers[kind] = handler;

    /// <summary>Runs after every (re)connection of the listener, before the barrier works again: reload what may have been missed.</summary>
    public void OnReconnected(Func<CancellationToken, Task> handler) => _reconnectHandlers.Add(handler);

    /// <summary>Starts listening (PostgreSQL only) and returns once LISTEN is in place.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!Enabled || _listener is not null)
        {
            return;
        }

        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _consumer = Task.Run(ConsumeAsync, CancellationToken.None);
        _listener = Task.Run(() => ListenAsync(first), CancellationToken.None);
        await first.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Formats one message of this node.</summary>
    public string Message(char kind, string data) => $"{NodeId}|{kind}|{data}";

    /// <summary>Sends messages outside any transaction (after a change made outside the writer, e.g. a key rotation).</summary>
    public async Task SendAsync(char kind, string data, CancellationToken cancellationToken = default)
    {
        if (!Enabled)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_provider.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_notify(@c, @p)", connection);
        command.Parameters.AddWithValue("c", Channel);
        command.Parameters.AddWithValue("p", Message(kind, data));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Sends inside the writer's transaction: delivered if and when it commits (never if the command is rolled back).</summary>
    internal async Task SendInTransactionAsync(GrantexDbContext db, char kind, string data)
    {
        if (!Enabled)
        {
            return;
        }

        await db.Database.ExecuteSqlRawAsync("SELECT pg_notify({0}, {1})", Channel, Message(kind, data));
    }

    /// <summary>
    /// Returns once every message committed before this call has been handled on this node; throws
    /// <see cref="ClusterUnavailableException"/> when the listening connection is down (or does not answer in time).
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        if (!Enabled)
        {
            return;
        }

        if (!_listening)
        {
            throw new ClusterUnavailableException();
        }

        // Callers join the open round; the sender closes a round before sending its marker, so a marker is always
        // sent after every caller of its round arrived. One marker in flight at a time.
        TaskCompletionSource<bool> round;
        var startSender = false;
        lock (_gate)
        {
            round = _openRound ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_senderRunning)
            {
                _senderRunning = true;
                startSender = true;
            }
        }

        if (startSender)
        {
            _ = Task.Run(SendMarkersAsync, CancellationToken.None);
        }

        bool ok;
        try
        {
            ok = await round.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new ClusterUnavailableException(ex);
        }

        if (!ok)
        {
            throw new ClusterUnavailableException();
        }
    }

    private async Task SendMarkersAsync()
    {
        while (true)
        {
            TaskCompletionSource<bool> round;
            long marker;
            lock (_gate)
            {
                if (_openRound is null)
                {
                    _senderRunning = false;
                    return;
                }

                round = _openRound;
                _openRound = null;
                marker = ++_markerCount;
                _markers[marker] = round;
            }

            try
            {
                await SendAsync('s', marker.ToString(System.Globalization.CultureInfo.InvariantCulture), _stop.Token);
                await round.Task.WaitAsync(TimeSpan.FromSeconds(5), _stop.Token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                lock (_gate)
                {
                    _markers.Remove(marker);
                }

                round.TrySetResult(false);
            }
        }
    }

    private void FailMarkers()
    {
        lock (_gate)
        {
            foreach (var (_, marker) in _markers)
            {
                marker.TrySetResult(false);
            }

            _markers.Clear();
        }
    }

    private void MarkerSeen(long marker)
    {
        lock (_gate)
        {
            foreach (var key in _markers.Keys.Where(k => k <= marker).ToList())
            {
                _markers.Remove(key, out var seen);
                seen!.TrySetResult(true);
            }
        }
    }

    private async Task ListenAsync(TaskCompletionSource first)
    {
        var stop = _stop.Token;
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(_provider.ConnectionString) { KeepAlive = 5, Pooling = false, ApplicationName = "grantex-listen-" + NodeId };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stop);
                connection.Notification += (_, e) => _inbox.Writer.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }

                // Whatever was committed before LISTEN is in the database; reload it before answering from memory again.
                var reload = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _inbox.Writer.TryWrite("\0reload");
                _reloaded = reload;
                if (!first.Task.IsCompleted)
                {
                    // At start-up the caller loads the state itself (after this returns).
                    first.TrySetResult();
                }

                await reload.Task.WaitAsync(stop);
                _listening = true;
                LogListening(_logger, NodeId);
                delay = TimeSpan.FromMilliseconds(200);
                while (true)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var wasListening = _listening;
                _listening = false;
                FailMarkers();
                if (!first.Task.IsCompleted)
                {
                    first.TrySetException(ex);
                    return;
                }

                if (wasListening)
                {
                    LogLost(_logger, ex);
                }

                try
                {
                    await Task.Delay(delay, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }

        _listening = false;
        FailMarkers();
    }

    private async Task ConsumeAsync()
    {
        var reader = _inbox.Reader;
        var first = true;
        try
        {
            await foreach (var payload in reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    if (payload == "\0reload")
                    {
                        if (!first)
                        {
                            foreach (var handler in _reconnectHandlers)
                            {
                                await handler(_stop.Token);
                            }
                        }

                        first = false;
                        _reloaded?.TrySetResult();
                        continue;
                    }

                    var parts = payload.Split('|', 3);
                    if (parts.Length != 3 || parts[1].Length != 1)
                    {
                        continue;
                    }

                    var own = parts[0] == NodeId;
                    var kind = parts[1][0];
                    if (kind == 's')
                    {
                        if (own && long.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var marker))
                        {
                            MarkerSeen(marker);
                        }

                        continue;
                    }

                    if (_handlers.TryGetValue(kind, out var handle))
                    {
                        await handle(parts[2], own);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    LogHandlerFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in new[] { _listener, _consumer })
        {
            if (task is not null)
            {
                try
                {
                    await task;
                }
                catch (OperationCanceledException)
                {
                    // Stopped.
                }
            }
        }

        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} is listening for the cluster's notifications")]
    private static partial void LogListening(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the cluster's notification connection; online verification answers 503 until it is back and the revocation index is reloaded")]
    private static partial void LogLost(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "A cluster notification handler failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex);
}

/// <summary>This node cannot be sure it has heard every other node's changes (its notification connection is down).</summary>
public sealed class ClusterUnavailableException(Exception? inner = null)
    : Exception("This node cannot confirm the cluster's latest revocations right now (its notification connection to the database is down).", inner);
