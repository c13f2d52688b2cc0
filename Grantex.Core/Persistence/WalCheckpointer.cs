using Grantex.Core.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grantex.Core.Persistence;

/// <summary>
/// SQLite only: copies committed pages from the write-ahead log back into the database file on its own connection
/// and thread, so the single writer never does it inside a commit. SQLite's default (a checkpoint by whichever
/// connection's commit takes the log past 1,000 pages) put a copy of thousands of pages and an fsync of the database
/// file into one unlucky write: measured on a cascade revoke's commit here, 13–20 ms became 350–400 ms. The writer
/// tells this service after each commit; it checkpoints (PASSIVE: never blocks the writer or readers) at most every
/// <see cref="MinInterval"/>, each costing one fsync of the database file. Every connection keeps an automatic
/// checkpoint at <see cref="BackstopPages"/> pages only as a backstop in case this service falls behind or stops.
/// Durability does not depend on it: a commit is durable once its log frames are synced (synchronous=FULL).
/// </summary>
public sealed partial class WalCheckpointer(IDatabaseProvider provider, GrantexMetrics metrics, ILogger<WalCheckpointer> logger) : BackgroundService
{
    /// <summary>The automatic checkpoint every SQLite connection keeps as a backstop (pages of 4 KB: 64 MB of log).</summary>
    public const int BackstopPages = 16_384;

    /// <summary>At most five checkpoints a second: enough to keep the log small, few enough fsyncs.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(200);

    private readonly SemaphoreSlim _committed = new(0, 1);
    private int _signalled;

    /// <summary>True on SQLite (PostgreSQL checkpoints on its own).</summary>
    public bool Enabled => provider.Kind == DatabaseProviderKind.Sqlite;

    /// <summary>The last checkpoint's result, and how many have run (for operators and tests).</summary>
    public WalCheckpoint? Last { get; private set; }

    /// <summary>Called by the writer after each commit; cheap and never blocks.</summary>
    public void Committed()
    {
        if (Enabled && Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _committed.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        await using var connection = new SqliteConnection(provider.ConnectionString);
        try
        {
            await connection.OpenAsync(stoppingToken);
            await using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = SqlitePragmaInterceptor.Pragmas;
                await pragmas.ExecuteNonQueryAsync(stoppingToken);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await _committed.WaitAsync(stoppingToken);
                // Let the commits of the next moments land in the log first: one checkpoint (one fsync) for all of them.
                await Task.Delay(MinInterval, stoppingToken);
                Interlocked.Exchange(ref _signalled, 0);
                try
                {
                    await CheckpointAsync(connection, stoppingToken);
                }
                catch (SqliteException ex)
                {
                    // One failed checkpoint (a full disk, say) is retried after the next commit; the backstop bounds the log.
                    LogFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            // The connection could not be opened: the backstop keeps the log bounded; the server keeps serving.
            LogStopped(logger, ex);
            return;
        }

        // Stopping: leave the log checkpointed for the next start (best effort; nothing depends on it).
        try
        {
            await CheckpointAsync(connection, CancellationToken.None);
        }
        catch (SqliteException ex)
        {
            LogStopped(logger, ex);
        }
    }

    private async Task CheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return;
        }

        var result = new WalCheckpoint(reader.GetInt32(0) != 0, reader.GetInt32(1), reader.GetInt32(2), (Last?.Count ?? 0) + 1);
        Last = result;
        metrics.WalCheckpointed(TimeProvider.System.GetElapsedTime(started), Math.Max(result.LogFrames, 0));
    }

    public override void Dispose()
    {
        _committed.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A background WAL checkpoint failed; it is tried again after the next commit")]
    private static partial void LogFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The background WAL checkpointer stopped; SQLite's automatic checkpoint (the backstop) takes over")]
    private static partial void LogStopped(ILogger logger, Exception ex);
}

/// <summary>One checkpoint: whether it was blocked, the frames in the log and how many of them are now in the database file (-1 when not in WAL mode), and its number.</summary>
public sealed record WalCheckpoint(bool Busy, int LogFrames, int CheckpointedFrames, long Count);
