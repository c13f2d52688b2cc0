using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Grantex.Core.Compliance;

/// <summary>
/// The audit pack's chain on SQLite, written as JSON Lines in two overlapping stages: this task steps the window's
/// statement natively on the snapshot's connection, walks every entry from its stored bytes (<see cref="ChainScan.Walk"/>,
/// the walk of <c>GET /v1/audit/verify</c>) and writes its line from the same bytes into a bounded pipe; a second task
/// compresses and hashes. No object or string is made per entry (a million entries cost 1.2 GB of them through the
/// data reader), so the CPU goes to the row step, the hash and the compression, and memory is bounded by the pipe.
/// </summary>
/// <remarks>
/// Each line is written by a <see cref="Utf8JsonWriter"/> with the options of every other pack file, from the UTF-8
/// bytes instead of strings: the same escaping, so the same bytes as <see cref="ComplianceJson.WriteAuditEntry(Utf8JsonWriter, AuditEntry)"/>.
/// A row with a text that is not valid UTF-8 (which a string read would have replaced) is materialised and written by
/// that method itself. Other providers use <see cref="PipelinedLines"/>.
/// </remarks>
internal sealed class SqliteChainLines : IDisposable
{
    private const int ChunkBytes = 1 << 16;
    private const int ProgressEvery = 10_000;
    private static readonly JsonWriterOptions Options = new() { Indented = false };

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;
    private readonly RawChainWalker _walker;
    private readonly IReadOnlySet<long> _wanted;
    private readonly List<(long ChainIndex, string Id, string Hash)> _observed = [];
    private readonly PipeWriter _output;
    private readonly Utf8JsonWriter _json;
    private readonly byte[] _timestamp = new byte[40];
    private readonly LastRow _last = new();
    private AuditEntry? _first;

    private SqliteChainLines(SqliteConnection connection, string developerId, DateTime? since, DateTime? until, WindowVerifier verifier, PipeWriter output)
    {
        _connection = connection;
        var (sql, parameters) = AuditEntryReader.WindowQuery(developerId, since, until);
        _statement = ChainScan.Prepare(connection, sql, parameters);
        _walker = new RawChainWalker(verifier.LinkFirst);
        _wanted = verifier.PendingPositions;
        _output = output;
        _json = new Utf8JsonWriter(output, Options);
    }

    public long Rows { get; private set; }

    /// <summary>
    /// Streams the window's entries (the snapshot's connection must be open, in its read transaction) to
    /// <paramref name="destination"/> and hands the walk to <paramref name="verifier"/>; returns the number of lines.
    /// </summary>
    public static async Task<long> WriteAsync(SqliteConnection connection, string developerId, DateTime? since, DateTime? until, WindowVerifier verifier,
        Stream destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = failed.Token;
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, minimumSegmentSize: 1 << 16, useSynchronizationContext: false));
        var compress = Task.Run(async () =>
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

        long rows;
        try
        {
            using (var lines = new SqliteChainLines(connection, developerId, since, until, verifier, pipe.Writer))
            {
                var reported = 0L;
                var more = true;
                while (more)
                {
                    more = lines.Step(ChunkBytes, ct);
                    var flushed = await pipe.Writer.FlushAsync(ct);
                    if (flushed.IsCompleted && more)
                    {
                        // The compressing stage stopped reading: its failure is the cause.
                        await compress;
                        throw new InvalidOperationException("The audit pack's compression stopped before the chain was written.");
                    }

                    if (progress is not null && lines.Rows / ProgressEvery != reported / ProgressEvery)
                    {
                        reported = lines.Rows;
                        progress.Report(reported);
                    }
                }

                lines.Complete(verifier);
                rows = lines.Rows;
            }

            await pipe.Writer.CompleteAsync();
        }
        catch (Exception ex)
        {
            await pipe.Writer.CompleteAsync(ex);
            await failed.CancelAsync();
            try
            {
                await compress;
            }
            catch (Exception) when (compress.IsCanceled || compress.IsFaulted)
            {
                // Reported below: the stage that failed first is the cause, a cancellation of the other is not.
            }

            if (compress.Exception?.InnerException is { } cause && cause is not OperationCanceledException)
            {
                ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }

        await compress;
        progress?.Report(rows);
        return rows;
    }

    public void Dispose()
    {
        _statement.Dispose();
        _walker.Dispose();
        _json.Dispose();
    }

    /// <summary>Writes lines until about <paramref name="bytes"/> are written; false once the window is exhausted.</summary>
    private bool Step(int bytes, CancellationToken cancellationToken)
    {
        var s = _statement;
        var written = 0;
        while (written < bytes)
        {
            var rc = raw.sqlite3_step(s);
            if (rc == raw.SQLITE_DONE)
            {
                return false;
            }

            ChainScan.Check(_connection, rc, raw.SQLITE_ROW);
            var row = new AuditRowBytes(s);
            if (Rows == 0)
            {
                _first = ChainScan.Materialize(s);
            }

            Rows++;
            var clean = ChainScan.Walk(_walker, s, row);
            if (_wanted.Count > 0 && _wanted.Contains(row.ChainIndex))
            {
                _observed.Add((row.ChainIndex, Encoding.UTF8.GetString(row.Id), Encoding.UTF8.GetString(row.Hash)));
            }

            _last.Keep(row);
            written += WriteLine(s, row, clean);
            if ((Rows & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return true;
    }

    private void Complete(WindowVerifier verifier) =>
        verifier.Complete(_walker.Result(), Rows, _first, Rows == 0 ? null : _last.ToEntry(), _observed);

    /// <summary>The current row as one JSON line (the fields of <see cref="ComplianceJson.WriteAuditEntry(Utf8JsonWriter, AuditEntry)"/>, in its order).</summary>
    /// <param name="clean">The walk took the row from its bytes: every text but the hash was then checked to be valid UTF-8, and the hash is hex.</param>
    private int WriteLine(sqlite3_stmt s, in AuditRowBytes row, bool clean)
    {
        var w = _json;
        if (!clean && !(Utf8.IsValid(row.Id) && Utf8.IsValid(row.DeveloperId) && Utf8.IsValid(row.AgentId) && Utf8.IsValid(row.AgentDid)
            && Utf8.IsValid(row.GrantId) && Utf8.IsValid(row.PrincipalId) && Utf8.IsValid(row.Action) && Utf8.IsValid(row.Metadata)
            && Utf8.IsValid(row.PrevHash) && Utf8.IsValid(row.Hash) && Utf8.IsValid(row.Status)))
        {
            ComplianceJson.WriteAuditEntry(w, ChainScan.Materialize(s));
        }
        else
        {
            if (!TimeFormat.FromUnixMillis(row.Timestamp).TryFormat(_timestamp, out var length, TimeFormat.IsoPattern, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("A timestamp did not fit its buffer.");
            }

            w.WriteStartObject();
            w.WriteString("entryId"u8, row.Id);
            w.WriteNumber("chainIndex"u8, row.ChainIndex);
            w.WriteString("agentId"u8, row.AgentId);
            w.WriteString("agentDid"u8, row.AgentDid);
            w.WriteString("grantId"u8, row.GrantId);
            w.WriteString("principalId"u8, row.PrincipalId);
            w.WriteString("developerId"u8, row.DeveloperId);
            w.WriteString("action"u8, row.Action);
            w.WritePropertyName("metadata"u8);
            w.WriteRawValue(row.Metadata, skipInputValidation: true);
            w.WriteString("timestamp"u8, _timestamp.AsSpan(0, length));
            if (row.PrevIsNull)
            {
                w.WriteNull("prevHash"u8);
            }
            else
            {
                w.WriteString("prevHash"u8, row.PrevHash);
            }

            w.WriteString("hash"u8, row.Hash);
            w.WriteString("status"u8, row.Status);
            w.WriteEndObject();
        }

        w.Flush();
        var line = (int)w.BytesCommitted;
        _output.GetSpan(1)[0] = (byte)'\n';
        _output.Advance(1);
        w.Reset();
        return line + 1;
    }

    /// <summary>What the verdict needs of the window's last entry (its edge and checkpoint position), copied from each row's bytes.</summary>
    private sealed class LastRow
    {
        private readonly Field _id = new();
        private readonly Field _hash = new();
        private readonly Field _prev = new();
        private bool _prevIsNull;
        private long _chainIndex;
        private long _timestamp;

        public void Keep(in AuditRowBytes row)
        {
            _chainIndex = row.ChainIndex;
            _timestamp = row.Timestamp;
            _id.Set(row.Id);
            _hash.Set(row.Hash);
            _prevIsNull = row.PrevIsNull;
            _prev.Set(row.PrevHash);
        }

        public AuditEntry ToEntry() => new()
        {
            Id = _id.Text(),
            ChainIndex = _chainIndex,
            DeveloperId = "",
            AgentId = "",
            AgentDid = "",
            GrantId = "",
            PrincipalId = "",
            Action = "",
            MetadataJson = "",
            Timestamp = TimeFormat.FromUnixMillis(_timestamp),
            PrevHash = _prevIsNull ? null : _prev.Text(),
            Hash = _hash.Text(),
            Status = "",
        };

        private sealed class Field
        {
            private byte[] _bytes = new byte[80];
            private int _length;

            public void Set(ReadOnlySpan<byte> value)
            {
                if (value.Length > _bytes.Length)
                {
                    _bytes = new byte[value.Length];
                }

                value.CopyTo(_bytes);
                _length = value.Length;
            }

            public string Text() => Encoding.UTF8.GetString(_bytes, 0, _length);
        }
    }
}
