using System.Data;
using System.Runtime.CompilerServices;
using System.Text;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Grantex.Core.Audit;

/// <summary>
/// Walks a developer's whole chain in a few contiguous position ranges at once (one reader per core, each streaming,
/// so memory stays flat) and merges them into the answer one walk from the start gives: the first broken entry in
/// chain order and how many entries came before it. Every entry is read even past a break, so the caller also gets
/// the row count, the first and last entries and the entries at the positions it asked for (checkpoint heads).
/// </summary>
/// <remarks>
/// The first range is read on the caller's connection (and its read transaction, e.g. a compliance snapshot); the
/// others on connections of their own, bounded by the last position that snapshot sees: entries are only ever
/// appended, so positions up to it read the same everywhere. On SQLite the ranges are stepped with the native
/// statement API and hashed from the column bytes (<see cref="RawChainWalker"/>: no allocation per entry); other
/// providers read <see cref="AuditEntry"/> objects through <see cref="AuditEntryReader"/>.
/// </remarks>
internal static class ChainScan
{
    /// <summary>Below this many entries one range is quick enough and a split only adds overhead.</summary>
    public const long SplitThreshold = 50_000;

    private static readonly string RangeSql = AuditRows.Select + """
         WHERE "DeveloperId" = @developer AND "ChainIndex" >= @from AND "ChainIndex" < @to ORDER BY "ChainIndex"
        """;

    /// <param name="db">The caller's context: its connection (and transaction, if any) reads the first range and fixes the end.</param>
    /// <param name="positions">Positions whose entries the caller wants back (id and hash), e.g. checkpoint heads.</param>
    /// <param name="segments">How many ranges to read at once; null: one per core (at most 4) for long chains, else one.</param>
    public static async Task<ChainScanResult> ScanAsync(
        GrantexDbContext db, IDbContextFactory<GrantexDbContext> factory, string developerId, IReadOnlyCollection<long> positions, int? segments,
        CancellationToken cancellationToken)
    {
        var opened = db.Database.GetDbConnection().State != ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            var (min, max) = await BoundsAsync(db, developerId, cancellationToken);
            if (max is null)
            {
                return new ChainScanResult(ChainVerification.Intact(0, null), 0, null, null, []);
            }

            var wanted = positions.Count == 0 ? null : new HashSet<long>(positions);
            var length = max.Value - min!.Value + 1;
            var count = segments ?? (length < SplitThreshold ? 1 : Math.Clamp(Environment.ProcessorCount, 1, 4));
            var ranges = Enumerable.Range(0, count).Select(i => (
                From: i == 0 ? long.MinValue : min.Value + (length * i / count),
                To: i == count - 1 ? max.Value + 1 : min.Value + (length * (i + 1) / count))).ToArray();
            var scanned = await Task.WhenAll(ranges.Select((r, i) => Task.Run(async () =>
            {
                if (i == 0)
                {
                    return ScanRange(db, developerId, r.From, r.To, linkFirst: true, wanted, cancellationToken);
                }

                await using var own = await factory.CreateDbContextAsync(cancellationToken);
                await own.Database.OpenConnectionAsync(cancellationToken);
                return ScanRange(own, developerId, r.From, r.To, linkFirst: false, wanted, cancellationToken);
            }, cancellationToken)));
            return Merge(scanned);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static async Task<(long? Min, long? Max)> BoundsAsync(GrantexDbContext db, string developerId, CancellationToken cancellationToken)
    {
        await using var command = AuditEntryReader.Command(db, """SELECT MIN("ChainIndex"), MAX("ChainIndex") FROM audit_entries WHERE "DeveloperId" = @developer""", ("@developer", developerId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.IsDBNull(0) ? (null, null) : (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static Range ScanRange(GrantexDbContext db, string developerId, long from, long to, bool linkFirst, HashSet<long>? wanted, CancellationToken cancellationToken) =>
        db.Database.GetDbConnection() is SqliteConnection sqlite
            ? ScanSqlite(sqlite, developerId, from, to, linkFirst, wanted, cancellationToken)
            : ScanReader(db, developerId, from, to, linkFirst, wanted, cancellationToken);

    /// <summary>Any provider: entries materialised by a data reader, judged by the reference walker.</summary>
    private static Range ScanReader(GrantexDbContext db, string developerId, long from, long to, bool linkFirst, HashSet<long>? wanted, CancellationToken cancellationToken)
    {
        var range = new Range();
        var walker = new ChainWalker(linkFirst);
        using var command = AuditEntryReader.Command(db, RangeSql, ("@developer", developerId), ("@from", from), ("@to", to));
        using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess);
        AuditEntry? last = null;
        while (reader.Read())
        {
            var entry = AuditRows.Read(reader);
            range.First ??= entry;
            range.Rows++;
            walker.Feed(entry);
            if (wanted?.Contains(entry.ChainIndex) == true)
            {
                range.Observed.Add((entry.ChainIndex, entry.Id, entry.Hash));
            }

            last = entry;
            if ((range.Rows & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        range.Last = last;
        range.Walk = walker.Result();
        return range;
    }

    /// <summary>SQLite: the statement stepped natively on the connection's handle, entries hashed from the column bytes.</summary>
    private static Range ScanSqlite(SqliteConnection connection, string developerId, long from, long to, bool linkFirst, HashSet<long>? wanted, CancellationToken cancellationToken)
    {
        var range = new Range();
        using var walker = new RawChainWalker(linkFirst);
        var lastIndex = long.MinValue;

        Step(connection, walker, range, developerId, from, to, wanted, ref lastIndex, cancellationToken);

        if (range.Rows > 0)
        {
            using var statement = Prepare(connection, developerId, lastIndex, lastIndex + 1);
            Check(connection, raw.sqlite3_step(statement), raw.SQLITE_ROW);
            range.Last = Materialize(statement);
        }

        range.Walk = walker.Result();
        return range;
    }

    private static void Step(
        SqliteConnection connection, RawChainWalker walker, Range range, string developerId, long from, long to, HashSet<long>? wanted, ref long lastIndex,
        CancellationToken cancellationToken)
    {
        using (var statement = Prepare(connection, developerId, from, to))
        {
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var chainIndex = raw.sqlite3_column_int64(statement, 2);
                if (range.Rows == 0)
                {
                    range.First = Materialize(statement);
                }

                range.Rows++;
                lastIndex = chainIndex;
                Walk(walker, new AuditRowBytes(statement));

                if (wanted?.Contains(chainIndex) == true)
                {
                    range.Observed.Add((chainIndex, Encoding.UTF8.GetString(Text(statement, 1)), Encoding.UTF8.GetString(Text(statement, 12))));
                }

                if ((range.Rows & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            Check(connection, rc, raw.SQLITE_DONE);
        }
    }

    /// <summary>Feeds the statement's current row to the walker: from its bytes when clean, else materialised. True when taken from the bytes.</summary>
    /// <param name="textsArePlain">See <see cref="Utf8AuditHash.TryWriteEntry"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Walk(RawChainWalker walker, in AuditRowBytes row, bool textsArePlain = false)
    {
        if (walker.Broken)
        {
            return false;
        }

        if (walker.TryAccept(row.ChainIndex, row.Id, row.AgentId, row.AgentDid, row.GrantId, row.PrincipalId, row.DeveloperId, row.Action, row.Metadata,
                row.Timestamp, row.PrevIsNull, row.PrevHash, row.Hash, row.Status, textsArePlain))
        {
            return true;
        }

        walker.Feed(row.ToEntry());
        return false;
    }

    private static sqlite3_stmt Prepare(SqliteConnection connection, string developerId, long from, long to) =>
        Prepare(connection, RangeSql, [("@developer", developerId), ("@from", from), ("@to", to)]);

    /// <summary>A native statement on the connection's handle (so inside its open transaction), parameters bound by name (text or integer).</summary>
    internal static sqlite3_stmt Prepare(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object Value)> parameters)
    {
        var db = connection.Handle!;
        Check(connection, raw.sqlite3_prepare_v2(db, sql, out var statement), raw.SQLITE_OK);
        foreach (var (name, value) in parameters)
        {
            var index = raw.sqlite3_bind_parameter_index(statement, name);
            Check(connection, value switch
            {
                string text => raw.sqlite3_bind_text(statement, index, text),
                long number => raw.sqlite3_bind_int64(statement, index, number),
                _ => throw new ArgumentException($"Parameter {name} is neither text nor an integer.", nameof(parameters)),
            }, raw.SQLITE_OK);
        }

        return statement;
    }

    internal static void Check(SqliteConnection connection, int rc, int expected)
    {
        if (rc != expected)
        {
            throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), rc);
        }
    }

    /// <summary>A text column's stored UTF-8 bytes (valid until the next step).</summary>
    internal static ReadOnlySpan<byte> Text(sqlite3_stmt statement, int column) => raw.sqlite3_column_blob(statement, column);

    private static string? NullableText(sqlite3_stmt statement, int column) =>
        raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL ? null : Encoding.UTF8.GetString(Text(statement, column));

    /// <summary>The current row as an entry, read as <see cref="AuditRows.Read"/> reads it.</summary>
    internal static AuditEntry Materialize(sqlite3_stmt s) => new()
    {
        Sequence = raw.sqlite3_column_int64(s, 0),
        Id = Encoding.UTF8.GetString(Text(s, 1)),
        ChainIndex = raw.sqlite3_column_int64(s, 2),
        DeveloperId = Encoding.UTF8.GetString(Text(s, 3)),
        AgentId = Encoding.UTF8.GetString(Text(s, 4)),
        AgentDid = Encoding.UTF8.GetString(Text(s, 5)),
        GrantId = Encoding.UTF8.GetString(Text(s, 6)),
        PrincipalId = Encoding.UTF8.GetString(Text(s, 7)),
        Action = Encoding.UTF8.GetString(Text(s, 8)),
        MetadataJson = Encoding.UTF8.GetString(Text(s, 9)),
        Timestamp = TimeFormat.FromUnixMillis(raw.sqlite3_column_int64(s, 10)),
        PrevHash = NullableText(s, 11),
        Hash = Encoding.UTF8.GetString(Text(s, 12)),
        Status = Encoding.UTF8.GetString(Text(s, 13)),
        Actor = NullableText(s, 14),
    };

    private static ChainScanResult Merge(Range[] ranges)
    {
        long checkedBefore = 0;
        AuditEntry? previousLast = null;
        string? head = null;
        ChainVerification? walk = null;
        foreach (var range in ranges)
        {
            if (walk is not null)
            {
                break;
            }

            if (range.First is { } first && previousLast is not null)
            {
                if (first.ChainIndex != previousLast.ChainIndex + 1)
                {
                    walk = Broken(first, checkedBefore, "missing", $"chain position {previousLast.ChainIndex + 1} is missing before this entry (found {first.ChainIndex})", previousLast.Hash);
                    break;
                }

                if (first.PrevHash != previousLast.Hash)
                {
                    walk = Broken(first, checkedBefore, "link", "its previous hash does not match the hash of the entry before it", previousLast.Hash);
                    break;
                }
            }

            var result = range.Walk!;
            if (!result.Valid)
            {
                // Broken at a range's first entry: the head before it is the previous range's last hash.
                walk = result with { CheckedEntries = checkedBefore + result.CheckedEntries, HeadHash = result.CheckedEntries == 0 ? previousLast?.Hash : result.HeadHash };
                break;
            }

            checkedBefore += result.CheckedEntries;
            if (range.Last is not null)
            {
                previousLast = range.Last;
                head = range.Last.Hash;
            }
        }

        var nonEmpty = ranges.Where(r => r.Rows > 0).ToList();
        return new ChainScanResult(
            walk ?? ChainVerification.Intact(checkedBefore, head),
            ranges.Sum(r => r.Rows),
            nonEmpty.FirstOrDefault()?.First,
            nonEmpty.LastOrDefault()?.Last,
            [.. ranges.SelectMany(r => r.Observed)]);
    }

    private static ChainVerification Broken(AuditEntry entry, long checkedBefore, string reason, string detail, string? head) =>
        new(false, checkedBefore, entry.Id, reason, $"Entry {entry.Id}: {detail}.", head);

    private sealed class Range
    {
        public long Rows { get; set; }

        public AuditEntry? First { get; set; }

        public AuditEntry? Last { get; set; }

        public ChainVerification? Walk { get; set; }

        public List<(long ChainIndex, string Id, string Hash)> Observed { get; } = [];
    }
}

/// <summary>A whole chain walked: the walk's answer, every row counted, the edges, and the entries asked for.</summary>
internal sealed record ChainScanResult(
    ChainVerification Walk, long Rows, AuditEntry? First, AuditEntry? Last, IReadOnlyList<(long ChainIndex, string Id, string Hash)> Observed);

/// <summary>
/// The current row of a native <see cref="AuditRows.Select"/> statement as its stored bytes (valid until the next step),
/// each column fetched once: every column call takes the connection's mutex, and a row is read by several consumers.
/// </summary>
internal readonly ref struct AuditRowBytes
{
    private readonly sqlite3_stmt? _statement;
    private readonly long _sequence;
    private readonly ReadOnlySpan<byte> _actor;
    private readonly bool _actorIsNull;

    /// <summary>The statement's current row.</summary>
    public AuditRowBytes(sqlite3_stmt s)
    {
        _statement = s;
        Id = ChainScan.Text(s, 1);
        ChainIndex = raw.sqlite3_column_int64(s, 2);
        DeveloperId = ChainScan.Text(s, 3);
        AgentId = ChainScan.Text(s, 4);
        AgentDid = ChainScan.Text(s, 5);
        GrantId = ChainScan.Text(s, 6);
        PrincipalId = ChainScan.Text(s, 7);
        Action = ChainScan.Text(s, 8);
        Metadata = ChainScan.Text(s, 9);
        Timestamp = raw.sqlite3_column_int64(s, 10);
        PrevIsNull = raw.sqlite3_column_type(s, 11) == raw.SQLITE_NULL;
        PrevHash = PrevIsNull ? default : ChainScan.Text(s, 11);
        Hash = ChainScan.Text(s, 12);
        Status = ChainScan.Text(s, 13);
    }

    /// <summary>A row copied out of a statement (every column, in <see cref="AuditRows.Columns"/> order).</summary>
    public AuditRowBytes(
        long sequence, ReadOnlySpan<byte> id, long chainIndex, ReadOnlySpan<byte> developerId, ReadOnlySpan<byte> agentId, ReadOnlySpan<byte> agentDid,
        ReadOnlySpan<byte> grantId, ReadOnlySpan<byte> principalId, ReadOnlySpan<byte> action, ReadOnlySpan<byte> metadata, long timestamp, bool prevIsNull,
        ReadOnlySpan<byte> prevHash, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> status, bool actorIsNull, ReadOnlySpan<byte> actor)
    {
        _sequence = sequence;
        Id = id;
        ChainIndex = chainIndex;
        DeveloperId = developerId;
        AgentId = agentId;
        AgentDid = agentDid;
        GrantId = grantId;
        PrincipalId = principalId;
        Action = action;
        Metadata = metadata;
        Timestamp = timestamp;
        PrevIsNull = prevIsNull;
        PrevHash = prevHash;
        Hash = hash;
        Status = status;
        _actorIsNull = actorIsNull;
        _actor = actor;
    }

    public ReadOnlySpan<byte> Id { get; }

    public long ChainIndex { get; }

    public ReadOnlySpan<byte> DeveloperId { get; }

    public ReadOnlySpan<byte> AgentId { get; }

    public ReadOnlySpan<byte> AgentDid { get; }

    public ReadOnlySpan<byte> GrantId { get; }

    public ReadOnlySpan<byte> PrincipalId { get; }

    public ReadOnlySpan<byte> Action { get; }

    public ReadOnlySpan<byte> Metadata { get; }

    public long Timestamp { get; }

    public bool PrevIsNull { get; }

    public ReadOnlySpan<byte> PrevHash { get; }

    public ReadOnlySpan<byte> Hash { get; }

    public ReadOnlySpan<byte> Status { get; }

    /// <summary>The row as an entry, read as <see cref="AuditRows.Read"/> reads it.</summary>
    public AuditEntry ToEntry() => _statement is not null ? ChainScan.Materialize(_statement) : new()
    {
        Sequence = _sequence,
        Id = Encoding.UTF8.GetString(Id),
        ChainIndex = ChainIndex,
        DeveloperId = Encoding.UTF8.GetString(DeveloperId),
        AgentId = Encoding.UTF8.GetString(AgentId),
        AgentDid = Encoding.UTF8.GetString(AgentDid),
        GrantId = Encoding.UTF8.GetString(GrantId),
        PrincipalId = Encoding.UTF8.GetString(PrincipalId),
        Action = Encoding.UTF8.GetString(Action),
        MetadataJson = Encoding.UTF8.GetString(Metadata),
        Timestamp = TimeFormat.FromUnixMillis(Timestamp),
        PrevHash = PrevIsNull ? null : Encoding.UTF8.GetString(PrevHash),
        Hash = Encoding.UTF8.GetString(Hash),
        Status = Encoding.UTF8.GetString(Status),
        Actor = _actorIsNull ? null : Encoding.UTF8.GetString(_actor),
    };
}
