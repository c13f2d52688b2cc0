using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Grantex.Api.Tests;

/// <summary>The real app against a real SQLite file in its own temporary folder (one per test class).</summary>
public class GrantexApiFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("grantex-api-").FullName;

    public string DatabasePath => Path.Combine(DataDirectory, "grantex.db");

    /// <summary>Extra settings a test class needs (e.g. a lower rate limit).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Grantex", $"Data Source={DatabasePath}");
        builder.UseSetting("Grantex:DataProtection:KeysPath", Path.Combine(DataDirectory, "keys"));
        builder.UseSetting("Grantex:PublicBaseUrl", "http://localhost");
        builder.UseSetting("Grantex:RateLimits:PerDeveloperPerMinute", "100000");
        builder.UseSetting("Grantex:RateLimits:PerIpPerMinute", "100000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finalizer; the OS temp cleaner removes it.
        }
    }
}
