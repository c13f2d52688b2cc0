using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Grantex.Core.Persistence;

/// <summary>
/// Plain SQL inserts and updates for the writer's hottest rows (a flow's auth request, grant, token, refresh token and
/// events), built from the EF model — the same table, column names, type mappings and value converters EF itself uses,
/// so a row written here is the row <c>SaveChanges</c> would have written, on SQLite and PostgreSQL alike. Each
/// statement's command is created once per writer transaction (SQLite keeps its compiled statement between rows) and
/// runs at once inside it (a command's savepoint rollback undoes it like any other change). Why: through the change tracker every such row cost more CPU on the single writer than
/// the database spent storing it (issue #14's profile).
/// Rows written here are not tracked; a command that needs one again reads it.
/// </summary>
internal sealed class RowCommands(GrantexDbContext db) : IAsyncDisposable
{
    private readonly Dictionary<(Type, string), DbCommand> _commands = [];

    /// <summary>Inserts <paramref name="row"/>; a store-generated key (an identity column) is read back into it.</summary>
    public async Task InsertAsync<T>(T row)
        where T : class
    {
        var shape = RowShape.For(db.Model, typeof(T));
        var command = Command(typeof(T), "", static s => s.InsertSql, shape);
        command.Parameters.Clear();
        for (var i = 0; i < shape.Columns.Length; i++)
        {
            var column = shape.Columns[i];
            command.Parameters.Add(column.Mapping.CreateParameter(command, $"@p{i}", column.Property.GetGetter().GetClrValueUsingContainingEntity(row), column.Property.IsNullable));
        }

        if (shape.Generated is { } generated)
        {
            var key = await command.ExecuteScalarAsync();
            var converted = generated.Mapping.Converter is { } converter ? converter.ConvertFromProvider(key) : Convert.ChangeType(key, generated.Property.ClrType, System.Globalization.CultureInfo.InvariantCulture);
            generated.Property.PropertyInfo!.SetValue(row, converted);
        }
        else
        {
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Writes the named properties of <paramref name="row"/> where its key matches and its concurrency token still holds
    /// <paramref name="expectedToken"/>; when no row matched (another writer changed it first) throws the exception EF
    /// throws for a lost race, so the writer treats both the same way.
    /// </summary>
    public async Task UpdateAsync<T>(T row, object expectedToken, params string[] properties)
        where T : class
    {
        var shape = RowShape.For(db.Model, typeof(T));
        var token = shape.ConcurrencyToken ?? throw new InvalidOperationException($"{typeof(T).Name} has no concurrency token.");
        var set = properties.Select(shape.ColumnOf).ToArray();
        var command = Command(typeof(T), string.Join(",", properties), s =>
            $"UPDATE {s.Table} SET {string.Join(", ", set.Select((c, i) => $"{c.Quoted} = @s{i}"))} WHERE {s.Key.Quoted} = @k AND {token.Quoted} = @t", shape);
        command.Parameters.Clear();
        for (var i = 0; i < set.Length; i++)
        {
            command.Parameters.Add(set[i].Mapping.CreateParameter(command, $"@s{i}", set[i].Property.GetGetter().GetClrValueUsingContainingEntity(row), set[i].Property.IsNullable));
        }

        command.Parameters.Add(shape.Key.Mapping.CreateParameter(command, "@k", shape.Key.Property.GetGetter().GetClrValueUsingContainingEntity(row), nullable: false));
        command.Parameters.Add(token.Mapping.CreateParameter(command, "@t", expectedToken, nullable: false));
        if (await command.ExecuteNonQueryAsync() != 1)
        {
            throw new DbUpdateConcurrencyException($"The {typeof(T).Name} row was changed or removed by another writer.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }
    }

    // One command per statement and transaction: SQLite keeps a command's compiled statement while its text stays the same.
    private DbCommand Command(Type type, string kind, Func<RowShape, string> sql, RowShape shape)
    {
        if (_commands.TryGetValue((type, kind), out var existing))
        {
            return existing;
        }

        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Row commands only run inside the writer's transaction.");
        command.CommandText = sql(shape);
        _commands[(type, kind)] = command;
        return command;
    }

    private sealed record Column(IProperty Property, RelationalTypeMapping Mapping, string Quoted);

    /// <summary>An entity type's table and columns as the model maps them (cached per model: one per engine).</summary>
    private sealed class RowShape
    {
        private static readonly ConcurrentDictionary<(IModel, Type), RowShape> Shapes = new();

        private RowShape(IEntityType entity)
        {
            if (entity.GetTableName() is not { } table || entity.GetSchema() is not null || entity.BaseType is not null
                || entity.GetNavigations().Any(n => n.TargetEntityType.IsOwned()) || entity.GetComplexProperties().Any())
            {
                throw new NotSupportedException($"{entity.DisplayName()} is not a plain table row.");
            }

            Table = Quote(table);
            var columns = new List<Column>();
            foreach (var property in entity.GetProperties())
            {
                if (property.IsShadowProperty())
                {
                    throw new NotSupportedException($"{entity.DisplayName()}.{property.Name} is a shadow property.");
                }

                var column = new Column(property, (RelationalTypeMapping)property.GetTypeMapping(), Quote(property.GetColumnName()));
                if (property.ValueGenerated != ValueGenerated.Never)
                {
                    if (Generated is not null || !property.IsPrimaryKey())
                    {
                        throw new NotSupportedException($"{entity.DisplayName()}.{property.Name} is generated by the store.");
                    }

                    Generated = column;
                    continue;
                }

                columns.Add(column);
                if (property.IsConcurrencyToken)
                {
                    ConcurrencyToken = column;
                }
            }

            Columns = [.. columns];
            var key = entity.FindPrimaryKey()!.Properties;
            Key = key.Count != 1 ? throw new NotSupportedException($"{entity.DisplayName()} has a composite key.")
                : Generated?.Property == key[0] ? Generated : ColumnOf(key[0].Name);
            var returning = Generated is null ? "" : $" RETURNING {Generated.Quoted}";
            InsertSql = $"INSERT INTO {Table} ({string.Join(", ", Columns.Select(c => c.Quoted))}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"@p{i}"))}){returning}";
        }

        public string Table { get; }

        public Column[] Columns { get; }

        public Column? Generated { get; }

        public Column? ConcurrencyToken { get; }

        public Column Key { get; }

        public string InsertSql { get; }

        public static RowShape For(IModel model, Type type) =>
            Shapes.GetOrAdd((model, type), static k => new RowShape(k.Item1.FindEntityType(k.Item2) ?? throw new NotSupportedException($"{k.Item2.Name} is not in the model.")));

        public Column ColumnOf(string property) =>
            Columns.FirstOrDefault(c => c.Property.Name == property) ?? throw new ArgumentException($"No column for {property}.", nameof(property));

        private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
