using System.IO.Pipelines;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.IO;

namespace Grantex.Core.Compliance;

/// <summary>
/// Writes a chain as JSON Lines in three overlapping stages, so a large pack uses both cores: this task reads entries
/// (in batches, through a bounded channel), a second verifies and serializes them (through a bounded pipe), a third
/// compresses and hashes the bytes. Memory is bounded by the channel and pipe limits, not by the number of entries.
/// </summary>
internal static class PipelinedLines
{
    /// <summary>
    /// The last stage: copies the serialized lines to <paramref name="destination"/> (the compressing zip entry) on its
    /// own thread; when it fails it fails the pipe and stops the other stages.
    /// </summary>
    internal static Task CopyOutAsync(Pipe pipe, Stream destination, CancellationTokenSource failed, CancellationToken ct) => Task.Run(async () =>
    {
        try
        {
            await pipe.Reader.CopyToAsync(destination, ct);
            await pipe.Reader.CompleteAsync();
        }
        catch (Exception ex)
        {
            await pipe.Reader.CompleteAsync(ex);
            await failed.CancelAsync();
            throw;
        }
    }, ct);

    /// <summary>
    /// The reading stage failed: stops the serialize and compress stages and rethrows the first real cause (a stage
    /// that failed on its own is the cause; their cancellation by this stop is not). Returns when the caller's own
    /// exception is the cause.
    /// </summary>
    internal static async Task StopAfterFailureAsync(CancellationTokenSource failed, Task serialize, Task compress)
    {
        await failed.CancelAsync();
        try
        {
            await Task.WhenAll(serialize, compress);
        }
        catch (Exception) when (serialize.IsCanceled || compress.IsCanceled || serialize.IsFaulted || compress.IsFaulted)
        {
            // Reported below: the stage that failed first is the cause, a cancellation of the others is not.
        }

        var cause = serialize.Exception?.InnerException ?? compress.Exception?.InnerException;
        if (cause is not null && cause is not OperationCanceledException)
        {
            ExceptionDispatchInfo.Throw(cause);
        }
    }

    private const int BatchSize = 1024;
    private const int ProgressEvery = 10_000;

    /// <param name="observe">Sees every entry once, in order, on a single thread, with its recomputed hash (the chain walk).</param>
    public static async Task<long> WriteAsync(IAsyncEnumerable<AuditEntry> source, Stream destination, Action<AuditEntry, string> observe,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = failed.Token;
        var batches = Channel.CreateBounded<AuditEntry[]>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, minimumSegmentSize: 1 << 16, useSynchronizationContext: false));

        var serialize = Task.Run(async () =>
        {
            try
            {
                await using (var json = new JsonStreamWriter(pipe.Writer.AsStream(leaveOpen: true)))
                {
                    await foreach (var batch in batches.Reader.ReadAllAsync(ct))
                    {
                        foreach (var entry in batch)
                        {
                            // The wire timestamp is formatted once, for both the recomputed hash and the line.
                            var timestamp = TimeFormat.Iso(entry.Timestamp);
                            observe(entry, AuditHash.Compute(new AuditHashInput(entry.Id, entry.AgentId, entry.AgentDid, entry.GrantId, entry.PrincipalId,
                                entry.DeveloperId, entry.Action, entry.MetadataJson, timestamp, entry.PrevHash, entry.Status)));
                            ComplianceJson.WriteAuditEntry(json.Json, entry, timestamp);
                            await json.EndLineAsync(ct);
                        }
                    }

                    await json.FlushAsync(ct);
                }

                await pipe.Writer.CompleteAsync();
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex);
                await failed.CancelAsync();
                throw;
            }
        }, ct);

        var compress = PipelinedLines.CopyOutAsync(pipe, destination, failed, ct);

        long count = 0;
        try
        {
            var batch = new List<AuditEntry>(BatchSize);
            await foreach (var entry in source.WithCancellation(ct))
            {
                batch.Add(entry);
                if (batch.Count == BatchSize)
                {
                    await batches.Writer.WriteAsync([.. batch], ct);
                    batch.Clear();
                }

                if (++count % ProgressEvery == 0)
                {
                    progress?.Report(count);
                }
            }

            if (batch.Count > 0)
            {
                await batches.Writer.WriteAsync([.. batch], ct);
            }

            batches.Writer.Complete();
        }
        catch (Exception ex)
        {
            batches.Writer.TryComplete(ex);
            await PipelinedLines.StopAfterFailureAsync(failed, serialize, compress);
            throw;
        }

        await Task.WhenAll(serialize, compress);
        progress?.Report(count);
        return count;
    }
}
