using System.Diagnostics;
using Npgsql;

namespace Grantex.Testing;

/// <summary>
/// The PostgreSQL server the tests use: the one named by <c>GRANTEX_TEST_POSTGRES</c> (an admin connection string;
/// scripts/test.sh starts a throwaway cluster and sets it), or else a throwaway cluster of its own, started on first
/// use by scripts/pg-throwaway.sh (Debian's postgresql, installed when missing; initdb as the postgres user in a
/// temporary folder on a free port) and removed when the test process exits. Each test host gets its own database.
/// </summary>
public static class PostgresCluster
{
    public const string ServerVariable = "GRANTEX_TEST_POSTGRES";
    public const string ProviderVariable = "GRANTEX_TEST_DATABASE";

    private static readonly Lazy<string> Admin = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when the whole suite runs against PostgreSQL (<c>GRANTEX_TEST_DATABASE=PostgreSQL</c>).</summary>
    public static bool SuiteOnPostgres =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "PostgreSQL", StringComparison.OrdinalIgnoreCase);

    /// <summary>A connection string to a new database <paramref name="name"/> (created by the first migration).</summary>
    public static string ConnectionString(string name) =>
        new NpgsqlConnectionStringBuilder(Admin.Value) { Database = name, MaxPoolSize = 40 }.ConnectionString;

    /// <summary>A database name from a host's temporary folder (unique per host).</summary>
    public static string DatabaseName(string directory) =>
        "gx_" + new string([.. Path.GetFileName(directory).ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);

    /// <summary>
    /// Drops a test database (no-op when it was never created). A drop that keeps failing is reported on stderr, not
    /// thrown: the database lives in a throwaway cluster that is removed after the run, and a class's clean-up failing
    /// there would fail a run whose tests all passed.
    /// </summary>
    public static void Drop(string name)
    {
        if (!Admin.IsValueCreated)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                NpgsqlConnection.ClearAllPools();
                using var connection = new NpgsqlConnection(Admin.Value);
                connection.Open();
                using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                command.ExecuteNonQuery();
                return;
            }
            catch (NpgsqlException ex) when (attempt < 3)
            {
                System.Console.Error.WriteLine($"Dropping test database {name} failed (attempt {attempt}), trying again: {ex.Message}");
            }
            catch (NpgsqlException ex)
            {
                System.Console.Error.WriteLine($"Test database {name} was left in the throwaway cluster: {ex}");
                return;
            }
        }
    }

    private static string StartOrFind()
    {
        if (Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var script = Path.Combine(RepositoryRoot(), "scripts", "pg-throwaway.sh");
        var output = Run(script, "start");
        string? directory = null, connection = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("export PG_THROWAWAY_DIR=", StringComparison.Ordinal))
            {
                directory = line["export PG_THROWAWAY_DIR=".Length..].Trim();
            }
            else if (line.StartsWith("export " + ServerVariable + "=", StringComparison.Ordinal))
            {
                connection = line[("export " + ServerVariable + "=").Length..].Trim().Trim('\'');
            }
        }

        if (directory is null || connection is null)
        {
            throw new InvalidOperationException("scripts/pg-throwaway.sh start did not print the cluster: " + output);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Run(script, "stop " + directory);
        return connection;
    }

    private static string Run(string script, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", $"{script} {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{script} {arguments} failed: {error}");
    }

    /// <summary>The checkout this test assembly was built from (the folder holding Grantex.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Grantex.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Grantex.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// A test of SQLite itself (its file, its schema or its limits): skipped when the suite runs on PostgreSQL.
/// </summary>
public sealed class SqliteFactAttribute : Xunit.FactAttribute
{
    public SqliteFactAttribute()
    {
        if (PostgresCluster.SuiteOnPostgres)
        {
            Skip = "Tests SQLite itself; the suite is running on PostgreSQL.";
        }
    }
}

/// <summary>A theory that reads or changes the SQLite file directly: skipped when the suite runs on PostgreSQL.</summary>
public sealed class SqliteTheoryAttribute : Xunit.TheoryAttribute
{
    public SqliteTheoryAttribute()
    {
        if (PostgresCluster.SuiteOnPostgres)
        {
            Skip = "Reads the SQLite file directly; the suite is running on PostgreSQL.";
        }
    }
}

/// <summary>A test of PostgreSQL itself (several processes on one database): runs in the PostgreSQL pass only.</summary>
public sealed class PostgresFactAttribute : Xunit.FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!PostgresCluster.SuiteOnPostgres)
        {
            Skip = "Runs in the PostgreSQL pass (GRANTEX_TEST_DATABASE=PostgreSQL).";
        }
    }
}
