using System.Diagnostics;
using System.Threading.Channels;
using Grantex.Core.Audit;
using Grantex.Core.Events;
using Grantex.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grantex.Core.Persistence;

/// <summary>
/// The one writer. Every write that matters (grants, codes, tokens, revocations, audit entries) is a command
/// queued here; a single loop drains the queue into small transactions, so commits are grouped (one durable
/// fsync for many commands), the audit chain can never fork, and SQLite never sees two writers at once.
/// Each command runs inside a savepoint: a command that throws is rolled back alone and the others commit.
/// A command's after-commit actions (e.g. updating the in-memory revocation index) run only once the
/// transaction is durable, before its caller sees the result.
/// On PostgreSQL several nodes each run this writer: a developer's chain and the event log are taken under advisory
/// locks inside the transaction (<see cref="WriterLocks"/>), and a command that meets a busy lock or loses a race
/// (a concurrency token, a deadlock) runs again in the next transaction, against what the other node committed.
/// </summary>
public sealed partial class WriteQueue : BackgroundService
{
    private const int MaxBatch = 512;

    // How often one command may start over after losing a race with another node before its error stands.
    private const int MaxRetries = 8;
    private readonly Channel<WriteItem> _channel = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IDbContextFactory<GrantexDbContext> _factory;
    private readonly AuditChainHeads _heads;
    private readonly TimeProvider _time;
    private readonly ILogger<WriteQueue> _logger;
    private readonly EventBus _events;
    private readonly GrantexMetrics _metrics;
    private readonly IDatabaseProvider _provider;
    private readonly ClusterNotifications _cluster;
    private readonly WalCheckpointer _checkpointer;

    // The channel cannot count its items when it has a single reader; the depth is kept here for the metrics.
    private int _depth;

    public WriteQueue(
        IDbContextFactory<GrantexDbContext> factory, AuditChainHeads heads, TimeProvider time, EventBus events, IDatabaseProvider provider,
        ClusterNotifications cluster, WalCheckpointer checkpointer, GrantexMetrics metrics, ILogger<WriteQueue> logger)
    {
        _checkpointer = checkpointer;
        _metrics = metrics;
        metrics.ObserveWriteQueue(() => Volatile.Read(ref _depth));
        _cluster = cluster;
        _provider = provider;
        _events = events;
        _factory = factory;
        _heads = heads;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs <paramref name="command"/> in the writer's transaction and returns its result once committed.</summary>
    public async Task<T> ExecuteAsync<T>(Func<WriteContext, Task<T>> command, CancellationToken cancellationToken = default)
    {
        var item = new WriteItem(async ctx => await command(ctx), AppendOnly: false);
        return (T)(await EnqueueAsync(item, cancellationToken))!;
    }

    /// <summary>
    /// A command that only adds rows and cannot fail (an audit append whose input was already validated):
    /// it runs without its own savepoint or flush, so thousands share one insert batch.
    /// </summary>
    public async Task<T> AppendAsync<T>(Func<WriteContext, Task<T>> command, CancellationToken cancellationToken = default)
    {
        var item = new WriteItem(async ctx => await command(ctx), AppendOnly: true);
        return (T)(await EnqueueAsync(item, cancellationToken))!;
    }

    private async Task<object?> EnqueueAsync(WriteItem item, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _depth);
        if (!_channel.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _depth);
            throw new InvalidOperationException("The write queue is closed: the server is shutting down.");
        }

        // The command may already be committed when the caller gives up; waiting is cancelled, not the write.
        return await item.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<WriteItem>(MaxBatch);
        var reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                Interlocked.Add(ref _depth, -batch.Count);
                await ProcessAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: drain what is already queued so no accepted write is lost.
        }

        _channel.Writer.TryComplete();
        batch.Clear();
        while (reader.TryRead(out var item))
        {
            batch.Add(item);
        }

        if (batch.Count > 0)
        {
            Interlocked.Add(ref _depth, -batch.Count);
            await ProcessAsync(batch);
        }
    }

    private async Task ProcessAsync(List<WriteItem> batch)
    {
        // Usually one transaction. When another node holds a lock a command needs, or a command lost a race with
        // another node, the transaction commits what came before it and the command runs again first in the next one.
        var start = 0;
        WriterLock? waitFor = null;
        while (start < batch.Count)
        {
            (start, waitFor) = await RunTransactionAsync(batch, start, waitFor);
        }
    }

    private async Task<(int Next, WriterLock? WaitFor)> RunTransactionAsync(List<WriteItem> batch, int start, WriterLock? waitFor)
    {
        var next = batch.Count;
        WriterLock? retryWaitFor = null;
        var shared = _provider.SharedByProcesses;
        // Real elapsed time, not the TimeProvider: a test's fake clock stands still while the disk works.
        var started = Stopwatch.GetTimestamp();
        var auditAppends = 0;
        try
        {
            await using var db = await _factory.CreateDbContextAsync();
            db.Database.AutoSavepointsEnabled = false;
            await using var tx = await db.Database.BeginTransactionAsync();
            var locks = new WriterLocks(_provider, db);
            db.WriterLocks = locks;
            if (shared)
            {
                // Another node may have appended since this node's last transaction: chain heads are read under their lock.
                _heads.Reset();
            }

            try
            {
                if (waitFor is { } first)
                {
                    await locks.WaitAsync(first);
                }

                await using var ctx = new WriteContext(db, _heads, _time, _events, locks, _cluster);
                await using var savepoint = new CommandSavepoint(db);
                for (var i = start; i < batch.Count; i++)
                {
                    var item = batch[i];
                    ctx.Current = item;

                    // On a shared database an append may meet a busy lock, so it gets a savepoint like any command.
                    if (item.AppendOnly && !shared)
                    {
                        item.Result = await item.Work(ctx);
                        await ctx.FlushAsync();
                        continue;
                    }

                    if (db.ChangeTracker.HasChanges())
                    {
                        await db.SaveChangesAsync();
                    }

                    await savepoint.CreateAsync();
                    ctx.BeginCommand();
                    try
                    {
                        item.Result = await item.Work(ctx);
                        await ctx.FlushAsync();
                        await db.SaveChangesAsync();
                        await savepoint.ReleaseAsync();
                        ctx.CompleteCommand();

                        // Saved rows need no tracking: without this, every later command of the batch would scan them
                        // again in DetectChanges (quadratic in the batch size). Later commands re-read what they need.
                        db.ChangeTracker.Clear();
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        await savepoint.RollbackAsync();
                        db.ChangeTracker.Clear();
                        ctx.RollbackCommand();
                        if (shared && (ex is WriterLockBusyException || _provider.IsRaceLost(ex)) && ++item.Retries <= MaxRetries)
                        {
                            // Commit the commands before this one; this one runs again first in a new transaction, after
                            // waiting (holding nothing) for the lock that was busy, and sees what the other node committed.
                            item.Result = null;
                            next = i;
                            retryWaitFor = (ex as WriterLockBusyException)?.Key;
                            break;
                        }

                        item.Failure = ex;
                    }
                }

                ctx.Current = null;
                await db.SaveChangesAsync();
                if (ctx.EventsEmitted)
                {
                    await _cluster.SendInTransactionAsync(db, 'e', "");
                }

                await tx.CommitAsync();
                auditAppends = ctx.AuditAppends;
            }
            finally
            {
                db.WriterLocks = null;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogBatchFailed(_logger, ex, batch.Count - start);
            _heads.Reset();
            for (var i = start; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetException(batch[i].Failure ?? new WriteFailedException("The write could not be committed.", ex));
            }

            return (batch.Count, null);
        }

        _checkpointer.Committed();
        _metrics.WriterCommitted(Stopwatch.GetElapsedTime(started), next - start);
        _metrics.AuditAppended(auditAppends);
        for (var i = start; i < next; i++)
        {
            var item = batch[i];
            if (item.Failure is not null)
            {
                item.Completion.TrySetException(item.Failure);
                continue;
            }

            try
            {
                item.RunAfterCommit();
                item.Completion.TrySetResult(item.Result);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                item.Completion.TrySetException(ex);
            }
        }

        return (next, retryWaitFor);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A write batch of {Count} commands failed and was rolled back")]
    private static partial void LogBatchFailed(ILogger logger, Exception ex, int count);
}
