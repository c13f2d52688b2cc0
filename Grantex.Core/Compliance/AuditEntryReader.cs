using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Grantex.Core.Compliance;

/// <summary>
/// Streams a developer's chain (or a time window of it) in chain order straight from a data reader on the snapshot's
/// connection and transaction. The packs and chain walks read every entry of a chain, possibly millions: EF's
/// materializer cost 15–100% more CPU per row in benchmarks/Grantex.PackBench runs here (a noisy shared machine), so
/// these full-chain reads map columns by hand; table and column names still come from the EF model.
/// </summary>
internal static class AuditEntryReader
{
    public static async IAsyncEnumerable<AuditEntry> ReadAsync(GrantexDbContext db, string developerId, DateTime? since, DateTime? until,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = Sql(db, since is not null, until is not null);
        Add(command, "@developer", developerId);
        if (since is { } s)
        {
            Add(command, "@since", TimeFormat.ToUnixMillis(s));
        }

        if (until is { } u)
        {
            Add(command, "@until", TimeFormat.ToUnixMillis(u));
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new AuditEntry
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
        }
    }

    private static string Sql(GrantexDbContext db, bool since, bool until)
    {
        var entity = db.Model.FindEntityType(typeof(AuditEntry))!;
        string Column(string property) => "\"" + entity.FindProperty(property)!.GetColumnName() + "\"";
        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", ((string[])[nameof(AuditEntry.Sequence), nameof(AuditEntry.Id), nameof(AuditEntry.ChainIndex), nameof(AuditEntry.DeveloperId),
            nameof(AuditEntry.AgentId), nameof(AuditEntry.AgentDid), nameof(AuditEntry.GrantId), nameof(AuditEntry.PrincipalId), nameof(AuditEntry.Action),
            nameof(AuditEntry.MetadataJson), nameof(AuditEntry.Timestamp), nameof(AuditEntry.PrevHash), nameof(AuditEntry.Hash), nameof(AuditEntry.Status),
            nameof(AuditEntry.Actor)]).Select(Column));
        sql.Append(CultureInfo.InvariantCulture, $" FROM \"{entity.GetTableName()}\" WHERE {Column(nameof(AuditEntry.DeveloperId))} = @developer");
        if (since)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {Column(nameof(AuditEntry.Timestamp))} >= @since");
        }

        if (until)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {Column(nameof(AuditEntry.Timestamp))} <= @until");
        }

        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY {Column(nameof(AuditEntry.ChainIndex))}");
        return sql.ToString();
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
