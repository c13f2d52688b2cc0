using System.Data.Common;
using Grantex.Core.Common;

namespace Grantex.Core.Audit;

/// <summary>
/// The one mapping between an <see cref="AuditEntry"/> and its row in <c>audit_entries</c>, for the hand-written
/// statements (the writer's insert and the full-chain readers) that skip EF's materializer because they touch every
/// entry of a chain. Plain SQL with quoted names, valid in SQLite and PostgreSQL alike.
/// </summary>
internal static class AuditRows
{
    public const string Table = "audit_entries";

    /// <summary>Every column, in the order <see cref="Read"/> reads them (Sequence is assigned by the database).</summary>
    public static readonly string[] Columns =
        ["Sequence", "Id", "ChainIndex", "DeveloperId", "AgentId", "AgentDid", "GrantId", "PrincipalId", "Action", "MetadataJson", "Timestamp", "PrevHash", "Hash", "Status", "Actor"];

    /// <summary>The columns an insert writes, in the order of <see cref="InsertValues"/>.</summary>
    public static readonly string[] InsertColumns = Columns[1..];

    /// <summary><c>SELECT &lt;every column&gt; FROM audit_entries</c>, for the readers to add their WHERE and ORDER BY to.</summary>
    public static readonly string Select = $"SELECT {string.Join(", ", Columns.Select(Quote))} FROM {Table}";

    public static string Quote(string column) => "\"" + column + "\"";

    /// <summary>Reads the current row of a reader made from <see cref="Select"/> (columns in order, so sequential access works).</summary>
    public static AuditEntry Read(DbDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        Id = reader.GetString(1),
        ChainIndex = reader.GetInt64(2),
        DeveloperId = reader.GetString(3),
        AgentId = reader.GetString(4),
        AgentDid = reader.GetString(5),
        GrantId = reader.GetString(6),
        PrincipalId = reader.GetString(7),
        Action = reader.GetString(8),
        MetadataJson = reader.GetString(9),
        Timestamp = TimeFormat.FromUnixMillis(reader.GetInt64(10)),
        PrevHash = reader.IsDBNull(11) ? null : reader.GetString(11),
        Hash = reader.GetString(12),
        Status = reader.GetString(13),
        Actor = reader.IsDBNull(14) ? null : reader.GetString(14),
    };

    /// <summary>An entry's values for the insert, in the order of <see cref="InsertColumns"/>.</summary>
    public static void InsertValues(AuditEntry e, DbParameterCollection p)
    {
        p[0].Value = e.Id;
        p[1].Value = e.ChainIndex;
        p[2].Value = e.DeveloperId;
        p[3].Value = e.AgentId;
        p[4].Value = e.AgentDid;
        p[5].Value = e.GrantId;
        p[6].Value = e.PrincipalId;
        p[7].Value = e.Action;
        p[8].Value = e.MetadataJson;
        p[9].Value = TimeFormat.ToUnixMillis(e.Timestamp);
        p[10].Value = (object?)e.PrevHash ?? DBNull.Value;
        p[11].Value = e.Hash;
        p[12].Value = e.Status;
        p[13].Value = (object?)e.Actor ?? DBNull.Value;
    }

    /// <summary>Whether a column holds a 64-bit integer (positions and Unix-millisecond times); the rest are text.</summary>
    public static bool IsInteger(string column) => column is "Sequence" or "ChainIndex" or "Timestamp";
}
