using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Persistence;

/// <summary>
/// Streams a range of a developer's chain in chain order for verification, with a plain data reader: the walk
/// reads every entry once and keeps none, and EF's materializer cost as much as reading the row. Plain SQL with
/// quoted names, valid in SQLite and PostgreSQL alike.
/// </summary>
internal static class AuditChainReader
{
    private const string Sql = """
        SELECT "Id", "ChainIndex", "AgentId", "AgentDid", "GrantId", "PrincipalId", "Action", "MetadataJson", "Timestamp", "PrevHash", "Hash", "Status"
        FROM audit_entries
        WHERE "DeveloperId" = @developer AND "ChainIndex" >= @from AND "ChainIndex" < @to
        ORDER BY "ChainIndex"
        """;

    /// <summary>Entries with <paramref name="from"/> ≤ position &lt; <paramref name="to"/> (null: unbounded).</summary>
    public static async IAsyncEnumerable<AuditEntry> ReadAsync(
        GrantexDbContext db, string developerId, long? from, long? to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = Sql;
            Add(command, "@developer", developerId);
            Add(command, "@from", from ?? long.MinValue);
            Add(command, "@to", to ?? long.MaxValue);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return new AuditEntry
                {
                    Id = reader.GetString(0),
                    ChainIndex = reader.GetInt64(1),
                    DeveloperId = developerId,
                    AgentId = reader.GetString(2),
                    AgentDid = reader.GetString(3),
                    GrantId = reader.GetString(4),
                    PrincipalId = reader.GetString(5),
                    Action = reader.GetString(6),
                    MetadataJson = reader.GetString(7),
                    Timestamp = Cursor.ToTime(reader.GetInt64(8)),
                    PrevHash = reader.IsDBNull(9) ? null : reader.GetString(9),
                    Hash = reader.GetString(10),
                    Status = reader.GetString(11),
                };
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
