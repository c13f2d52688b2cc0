using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Grantex.Testing;

/// <summary>
/// The settings every test host runs with, written once: its own SQLite file and key folder in a temporary directory,
/// the public base URL, rate limits no test reaches by accident, and no scheduled checkpoint signing nor background anomaly detection (a
/// background run racing the test's own writes would add checkpoints, anomalies and their events and audit entries
/// no test asked for; both are tested on their own).
/// </summary>
public static class TestSettings
{
    /// <summary>Where every fake clock starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static IReadOnlyDictionary<string, string?> For(string directory, string publicBaseUrl) => PostgresCluster.SuiteOnPostgres
        ? Common(publicBaseUrl).Concat(Postgres(directory)).ToDictionary()
        : Common(publicBaseUrl).Concat(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Grantex"] = $"Data Source={DatabasePath(directory)}",
            ["Grantex:DataProtection:KeysPath"] = Path.Combine(directory, "keys"),
        }).ToDictionary();

    /// <summary>
    /// A host on the test PostgreSQL server (<see cref="PostgresCluster"/>): its own database, named after its folder,
    /// with the key ring in the database, so a second host given the same connection string is a second node.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Postgres(string directory) => new Dictionary<string, string?>
    {
        ["Grantex:Database:Provider"] = "PostgreSQL",
        ["ConnectionStrings:Grantex"] = PostgresCluster.ConnectionString(PostgresCluster.DatabaseName(directory)),
        ["Grantex:DataDirectory"] = directory,
        ["Grantex:DataProtection:Store"] = "Database",
    };

    private static Dictionary<string, string?> Common(string publicBaseUrl) => new()
    {
        ["Grantex:PublicBaseUrl"] = publicBaseUrl,
        ["Grantex:RateLimits:PerDeveloperPerMinute"] = "100000",
        ["Grantex:RateLimits:PerIpPerMinute"] = "100000",
        ["Grantex:RateLimits:AuthorizePerMinute"] = "100000",
        ["Grantex:RateLimits:TokenPerMinute"] = "100000",
        ["Grantex:RateLimits:TokenRefreshPerMinute"] = "100000",
        ["Grantex:RateLimits:ConsentPerMinute"] = "100000",
        ["Grantex:Compliance:CheckpointInterval"] = "00:00:00",
        ["Grantex:Anomalies:BackgroundDetection"] = "false",
    };

    public static IConfiguration Configuration(string directory, string publicBaseUrl) =>
        new ConfigurationBuilder().AddInMemoryCollection(For(directory, publicBaseUrl)).Build();

    public static string DatabasePath(string directory) => Path.Combine(directory, "grantex.db");

    /// <summary>A new empty folder for one host's database and keys.</summary>
    public static string NewDirectory(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Closes pooled SQLite connections and removes the folder (a file still held open is left to the OS), and the host's PostgreSQL database.</summary>
    public static void DeleteDirectory(string directory)
    {
        SqliteConnection.ClearAllPools();
        if (PostgresCluster.SuiteOnPostgres)
        {
            PostgresCluster.Drop(PostgresCluster.DatabaseName(directory));
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finalizer; the OS temp cleaner removes it.
        }
    }
}
