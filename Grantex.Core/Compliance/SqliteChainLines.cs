using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using System.Threading.Channels;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Grantex.Core.Compliance;

/// <summary>
/// The audit pack's chain on SQLite, written as JSON Lines in three overlapping stages, so a large pack uses both
/// cores: this task steps the window's statement natively on the snapshot's connection and copies each row's stored
/// bytes into a batch; a second walks every entry from those bytes (<see cref="ChainScan.Walk"/>, the walk of
/// <c>GET /v1/audit/verify</c>) and writes its line from the same bytes into a bounded pipe; a third compresses and
/// hashes. No object or string is made per entry (a million entries cost 1.2 GB of them through the data reader),
/// and memory is bounded by the batches in flight and the pipe, not by the number of entries.
/// </summary>
/// <remarks>
/// Each line is written by a <see cref="Utf8JsonWriter"/> with the options of every other pack file, from the UTF-8
/// bytes instead of strings: the same escaping, so the same bytes as <see cref="ComplianceJson.WriteAuditEntry(Utf8JsonWriter, AuditEntry)"/>.
/// A row with a text that is not valid UTF-8 (which a string read would have replaced) is materialised and written by
/// that method itself. Other providers use <see cref="PipelinedLines"/>.
/// </remarks>
internal sealed class SqliteChainLines : IDisposable
{
    private const int ProgressEvery = 10_000;
    private static readonly JsonWriterOptions Options = new() { Indented = false };

    /// <summary>
    /// Bytes <see cref="Utf8JsonWriter"/> (default encoder) writes into a JSON string as they are, with no escape: a
    /// subset of what it leaves alone (tested byte by byte against the writer), enough for ids, DIDs, actions and hashes.
    /// </summary>
    internal static readonly SearchValues<byte> Plain = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.:/@ "u8);

    /// <summary>A line's field names, punctuation, chain index and timestamp: at most this many bytes besides the texts.</summary>
    private const int LineFrame = 256;

    private readonly RawChainWalker _walker;
    private readonly IReadOnlySet<long> _wanted;
    private readonly List<(long ChainIndex, string Id, string Hash)> _observed = [];
    private readonly PipeWriter _output;
    private readonly Utf8JsonWriter _json;
    private readonly byte[] _timestamp = new byte[Utf8IsoTime.MaxLength];
    private readonly Utf8IsoTime _time = new();
    private readonly LastRow _last = new();
    private AuditEntry? _first;

    private SqliteChainLines(WindowVerifier verifier, PipeWriter output)
    {
        _walker = new RawChainWalker(verifier.LinkFirst);
        _wanted = verifier.PendingPositions;
        _output = output;
        _json = new Utf8JsonWriter(output, Options);
    }

    private long Rows { get; set; }

    /// <summary>
    /// Streams the window's entries (the snapshot's connection must be open, in its read transaction) to
    /// <paramref name="destination"/> and hands the walk to <paramref name="verifier"/>; returns the number of lines.
    /// </summary>
    public static async Task<long> WriteAsync(SqliteConnection connection, string developerId, DateTime? since, DateTime? until, WindowVerifier verifier,
        Stream destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = failed.Token;
        var filled = Channel.CreateBounded<RowBatch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var spare = new ConcurrentQueue<RowBatch>();
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, minimumSegmentSize: 1 << 16, useSynchronizationContext: false));
        var lines = new SqliteChainLines(verifier, pipe.Writer);

        var serialize = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in filled.Reader.ReadAllAsync(ct))
                {
                    lines.Write(batch);
                    spare.Enqueue(batch);
                    var flushed = await pipe.Writer.FlushAsync(ct);
                    if (flushed.IsCompleted)
                    {
                        throw new InvalidOperationException("The audit pack's compression stopped before the chain was written.");
                    }
                }

                lines.Complete(verifier);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex);
                await failed.CancelAsync();
                throw;
            }
            finally
            {
                lines.Dispose();
            }
        }, ct);

        var compress = PipelinedLines.CopyOutAsync(pipe, destination, failed, ct);

        long count = 0;
        try
        {
            var (sql, parameters) = AuditEntryReader.WindowQuery(developerId, since, until);
            using (var statement = ChainScan.Prepare(connection, sql, parameters))
            {
                var more = true;
                while (more)
                {
                    var batch = spare.TryDequeue(out var reused) ? reused : new RowBatch();
                    more = batch.Fill(connection, statement);
                    if (batch.Count > 0)
                    {
                        var before = count;
                        count += batch.Count;
                        await filled.Writer.WriteAsync(batch, ct);
                        if (progress is not null && count / ProgressEvery != before / ProgressEvery)
                        {
                            progress.Report(count);
                        }
                    }
                }
            }

            filled.Writer.Complete();
        }
        catch (Exception ex)
        {
            filled.Writer.TryComplete(ex);
            await PipelinedLines.StopAfterFailureAsync(failed, serialize, compress);
            throw;
        }

        await Task.WhenAll(serialize, compress);
        progress?.Report(count);
        return count;
    }

    public void Dispose()
    {
        _walker.Dispose();
        _json.Dispose();
    }

    /// <summary>Walks and writes a batch of rows, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Write(RowBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch.Row(i);
            if (Rows == 0)
            {
                _first = row.ToEntry();
            }

            Rows++;
            var plain = batch.TextsArePlain(i);
            var clean = ChainScan.Walk(_walker, row, plain);
            if (_wanted.Count > 0 && _wanted.Contains(row.ChainIndex))
            {
                _observed.Add((row.ChainIndex, Encoding.UTF8.GetString(row.Id), Encoding.UTF8.GetString(row.Hash)));
            }

            _last.Keep(row);
            WriteLine(row, clean, plain);
        }
    }

    private void Complete(WindowVerifier verifier) =>
        verifier.Complete(_walker.Result(), Rows, _first, Rows == 0 ? null : _last.ToEntry(), _observed);

    /// <summary>The current row as one JSON line (the fields of <see cref="ComplianceJson.WriteAuditEntry(Utf8JsonWriter, AuditEntry)"/>, in its order).</summary>
    /// <param name="clean">The walk took the row from its bytes: every text but the hash was then checked to be valid UTF-8, and the hash is hex.</param>
    /// <param name="plain">Every text the line holds is <see cref="Plain"/> (<see cref="RowBatch.TextsArePlain"/>).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteLine(in AuditRowBytes row, bool clean, bool plain)
    {
        if (clean && plain && !row.Metadata.IsEmpty)
        {
            WritePlainLine(row);
            return;
        }

        var w = _json;
        if (!clean && !(Utf8.IsValid(row.Id) && Utf8.IsValid(row.DeveloperId) && Utf8.IsValid(row.AgentId) && Utf8.IsValid(row.AgentDid)
            && Utf8.IsValid(row.GrantId) && Utf8.IsValid(row.PrincipalId) && Utf8.IsValid(row.Action) && Utf8.IsValid(row.Metadata)
            && Utf8.IsValid(row.PrevHash) && Utf8.IsValid(row.Hash) && Utf8.IsValid(row.Status)))
        {
            ComplianceJson.WriteAuditEntry(w, row.ToEntry());
        }
        else
        {
            var length = _time.Write(row.Timestamp, _timestamp);
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
        _output.GetSpan(1)[0] = (byte)'\n';
        _output.Advance(1);
        w.Reset();
    }

    /// <summary>
    /// The line of a row whose texts are all <see cref="Plain"/> (what ids, DIDs, actions, statuses and hex hashes
    /// are made of), written straight into the pipe: <see cref="Utf8JsonWriter"/> would copy each of them unescaped,
    /// and the metadata raw, so the bytes are the same, without its per-value state checks and escaping scans.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WritePlainLine(in AuditRowBytes row)
    {
        var most = LineFrame + row.Id.Length + row.AgentId.Length + row.AgentDid.Length + row.GrantId.Length + row.PrincipalId.Length
            + row.DeveloperId.Length + row.Action.Length + row.Metadata.Length + row.PrevHash.Length + row.Hash.Length + row.Status.Length;
        var line = _output.GetSpan(most);
        var at = 0;
        Put(line, ref at, "{\"entryId\":\""u8);
        Put(line, ref at, row.Id);
        Put(line, ref at, "\",\"chainIndex\":"u8);
        if (!Utf8Formatter.TryFormat(row.ChainIndex, line[at..], out var digits))
        {
            throw new InvalidOperationException("A chain index did not fit its line.");
        }

        at += digits;
        Put(line, ref at, ",\"agentId\":\""u8);
        Put(line, ref at, row.AgentId);
        Put(line, ref at, "\",\"agentDid\":\""u8);
        Put(line, ref at, row.AgentDid);
        Put(line, ref at, "\",\"grantId\":\""u8);
        Put(line, ref at, row.GrantId);
        Put(line, ref at, "\",\"principalId\":\""u8);
        Put(line, ref at, row.PrincipalId);
        Put(line, ref at, "\",\"developerId\":\""u8);
        Put(line, ref at, row.DeveloperId);
        Put(line, ref at, "\",\"action\":\""u8);
        Put(line, ref at, row.Action);
        Put(line, ref at, "\",\"metadata\":"u8);
        Put(line, ref at, row.Metadata);
        Put(line, ref at, ",\"timestamp\":\""u8);
        at += _time.Write(row.Timestamp, line[at..]);
        if (row.PrevIsNull)
        {
            Put(line, ref at, "\",\"prevHash\":null,\"hash\":\""u8);
        }
        else
        {
            Put(line, ref at, "\",\"prevHash\":\""u8);
            Put(line, ref at, row.PrevHash);
            Put(line, ref at, "\",\"hash\":\""u8);
        }

        Put(line, ref at, row.Hash);
        Put(line, ref at, "\",\"status\":\""u8);
        Put(line, ref at, row.Status);
        Put(line, ref at, "\"}\n"u8);
        _output.Advance(at);
    }

    private static void Put(Span<byte> line, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(line[at..]);
        at += bytes.Length;
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

    /// <summary>Rows of the statement copied out as their stored bytes, so that the walk and the lines run on another thread than the step.</summary>
    private sealed class RowBatch
    {
        private const int Capacity = 512;
        private const int FullBytes = 1 << 18;
        private const int Texts = 12;
        // Id, developer, agent, DID, grant, principal, action (texts 0-6), metadata (7), previous hash, hash, status (8-10), actor (11).
        private static readonly int[] TextColumns = [1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14];
        private const int PrevHashText = 8;
        private const int ActorText = 11;
        private readonly int[] _ends = new int[Capacity * Texts];
        private readonly long[] _numbers = new long[Capacity * 3];
        private readonly bool[] _prevIsNull = new bool[Capacity];
        private readonly bool[] _actorIsNull = new bool[Capacity];
        private byte[] _bytes = new byte[FullBytes + (1 << 16)];
        private int _used;

        public int Count { get; private set; }

        /// <summary>Steps the statement until the batch is full; false once the statement is exhausted.</summary>
        public bool Fill(SqliteConnection connection, sqlite3_stmt s)
        {
            if (!SqliteColumns.Available)
            {
                return FillThroughProvider(connection, s);
            }

            using var columns = SqliteColumns.Hold(s);
            return Fill(connection, s, columns);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool Fill(SqliteConnection connection, sqlite3_stmt s, SqliteColumns.Reader columns)
        {
            Count = 0;
            _used = 0;
            while (Count < Capacity && _used < FullBytes)
            {
                var rc = raw.sqlite3_step(s);
                if (rc == raw.SQLITE_DONE)
                {
                    return false;
                }

                ChainScan.Check(connection, rc, raw.SQLITE_ROW);
                var i = Count;
                _numbers[i * 3] = columns.Integer(0);
                _numbers[(i * 3) + 1] = columns.Integer(2);
                _numbers[(i * 3) + 2] = columns.Integer(10);
                for (var k = 0; k < Texts; k++)
                {
                    Add(i, k, columns.Text(TextColumns[k], out var isNull));
                    if (k == PrevHashText)
                    {
                        _prevIsNull[i] = isNull;
                    }
                    else if (k == ActorText)
                    {
                        _actorIsNull[i] = isNull;
                    }
                }

                Count++;
            }

            return true;
        }

        /// <summary><see cref="Fill(SqliteConnection, sqlite3_stmt)"/> through <see cref="raw"/>, where the library's own entry points are not available.</summary>
        private bool FillThroughProvider(SqliteConnection connection, sqlite3_stmt s)
        {
            Count = 0;
            _used = 0;
            while (Count < Capacity && _used < FullBytes)
            {
                var rc = raw.sqlite3_step(s);
                if (rc == raw.SQLITE_DONE)
                {
                    return false;
                }

                ChainScan.Check(connection, rc, raw.SQLITE_ROW);
                var i = Count;
                _numbers[i * 3] = raw.sqlite3_column_int64(s, 0);
                _numbers[(i * 3) + 1] = raw.sqlite3_column_int64(s, 2);
                _numbers[(i * 3) + 2] = raw.sqlite3_column_int64(s, 10);
                _prevIsNull[i] = raw.sqlite3_column_type(s, 11) == raw.SQLITE_NULL;
                _actorIsNull[i] = raw.sqlite3_column_type(s, 14) == raw.SQLITE_NULL;
                for (var k = 0; k < Texts; k++)
                {
                    Add(i, k, ChainScan.Text(s, TextColumns[k]));
                }

                Count++;
            }

            return true;
        }

        private void Add(int i, int k, ReadOnlySpan<byte> text)
        {
            if (_used + text.Length > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + text.Length));
            }

            text.CopyTo(_bytes.AsSpan(_used));
            _used += text.Length;
            _ends[(i * Texts) + k] = _used;
        }

        /// <summary>
        /// Whether every text of row <paramref name="i"/> a line or a hash holds, except the metadata, is <see cref="Plain"/>:
        /// checked in two scans, as the texts are stored side by side (id to action, then previous hash to status).
        /// </summary>
        public bool TextsArePlain(int i)
        {
            var at = i * Texts;
            var start = at == 0 ? 0 : _ends[at - 1];
            return !_bytes.AsSpan(start, _ends[at + 6] - start).ContainsAnyExcept(Plain)
                && !_bytes.AsSpan(_ends[at + 7], _ends[at + 10] - _ends[at + 7]).ContainsAnyExcept(Plain);
        }

        public AuditRowBytes Row(int i) => new(
            _numbers[i * 3], Text(i, 0), _numbers[(i * 3) + 1], Text(i, 1), Text(i, 2), Text(i, 3), Text(i, 4), Text(i, 5), Text(i, 6), Text(i, 7),
            _numbers[(i * 3) + 2], _prevIsNull[i], Text(i, 8), Text(i, 9), Text(i, 10), _actorIsNull[i], Text(i, 11));

        private ReadOnlySpan<byte> Text(int i, int k)
        {
            var at = (i * Texts) + k;
            var start = at == 0 ? 0 : _ends[at - 1];
            return _bytes.AsSpan(start, _ends[at] - start);
        }
    }
}
