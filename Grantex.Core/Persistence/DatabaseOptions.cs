using Microsoft.Extensions.Configuration;

namespace Grantex.Core.Persistence;

/// <summary>The database engine: SQLite (one process, the default) or PostgreSQL (one or several nodes).</summary>
public enum DatabaseProviderKind
{
    Sqlite,
    PostgreSQL,
}

/// <summary>Settings under <c>Grantex:Database</c>; the connection string is <c>ConnectionStrings:Grantex</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Grantex:Database";

    /// <summary><c>Sqlite</c> (default) or <c>PostgreSQL</c>.</summary>
    public DatabaseProviderKind Provider { get; set; } = DatabaseProviderKind.Sqlite;

    /// <summary>Apply pending migrations at start-up (default). Teams that migrate separately set it to false and run <c>database migrate</c>.</summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>Reads the section (an unknown provider name is an error that names the accepted values).</summary>
    public static DatabaseOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var options = new DatabaseOptions();
        if (section["Provider"] is { Length: > 0 } provider)
        {
            options.Provider = provider.ToUpperInvariant() switch
            {
                "SQLITE" => DatabaseProviderKind.Sqlite,
                "POSTGRESQL" or "POSTGRES" or "NPGSQL" => DatabaseProviderKind.PostgreSQL,
                _ => throw new InvalidOperationException($"Grantex:Database:Provider is '{provider}'; use Sqlite or PostgreSQL."),
            };
        }

        if (section["AutoMigrate"] is { Length: > 0 } auto)
        {
            options.AutoMigrate = bool.TryParse(auto, out var value)
                ? value
                : throw new InvalidOperationException($"Grantex:Database:AutoMigrate is '{auto}'; use true or false.");
        }

        return options;
    }
}
