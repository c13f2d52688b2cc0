using System.Data;
using System.Runtime.CompilerServices;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Grantex.Core.Audit;

/// <summary>
/// Streams a developer's chain in chain order straight from a data reader: the chain walks and the packs read every
/// entry of a chain, possibly millions, keep none, and EF's materializer cost 15–100% more CPU per row than the row
/// itself (benchmarks/Grantex.PackBench). Runs on the context's connection and, when there is one, its transaction
/// (a compliance read snapshot). Columns are mapped by <see cref="AuditRows"/>.
/// </summary>
internal static class AuditEntryReader
{
    private static readonly string ByPosition = AuditRows.Select + """
         WHERE "DeveloperId" = @developer AND "ChainIndex" >= @from AND "ChainIndex" < @to ORDER BY "ChainIndex"
        """;

    /// <summary>Entries with <paramref name="from"/> ≤ position &lt; <paramref name="to"/> (null: unbounded).</summary>
    public static IAsyncEnumerable<AuditEntry> ReadRangeAsync(GrantexDbContext db, string developerId, long? from, long? to, CancellationToken cancellationToken = default) =>
        ReadAsync(db, ByPosition, [("@developer", developerId), ("@from", from ?? long.MinValue), ("@to", to ?? long.MaxValue)], cancellationToken);

    /// <summary>Entries written between <paramref name="since"/> and <paramref name="until"/> (inclusive; null: unbounded), in chain order.</summary>
    public static IAsyncEnumerable<AuditEntry> ReadAsync(GrantexDbContext db, string developerId, DateTime? since, DateTime? until, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = WindowQuery(developerId, since, until);
        return ReadAsync(db, sql, parameters, cancellationToken);
    }

    /// <summary>The statement of <see cref="ReadAsync(GrantexDbContext, string, DateTime?, DateTime?, CancellationToken)"/> and its parameters.</summary>
    internal static (string Sql, IReadOnlyList<(string Name, object Value)> Parameters) WindowQuery(string developerId, DateTime? since, DateTime? until)
    {
        var sql = AuditRows.Select + " WHERE \"DeveloperId\" = @developer"
            + (since is null ? "" : " AND \"Timestamp\" >= @since")
            + (until is null ? "" : " AND \"Timestamp\" <= @until")
            + " ORDER BY \"ChainIndex\"";
        List<(string, object)> parameters = [("@developer", developerId)];
        if (since is { } s)
        {
            parameters.Add(("@since", TimeFormat.ToUnixMillis(s)));
        }

        if (until is { } u)
        {
            parameters.Add(("@until", TimeFormat.ToUnixMillis(u)));
        }

        return (sql, parameters);
    }

    /// <summary>A raw command on the context's connection and, when there is one, its transaction (a read snapshot).</summary>
    internal static System.Data.Common.DbCommand Command(GrantexDbContext db, string sql, params IReadOnlyList<(string Name, object Value)> parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static async IAsyncEnumerable<AuditEntry> ReadAsync(
        GrantexDbContext db, string sql, IReadOnlyList<(string Name, object Value)> parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = Command(db, sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return AuditRows.Read(reader);
            }
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
