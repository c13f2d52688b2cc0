using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Core.Tests.Persistence;

/// <summary>
/// The servers' <c>Migrate</c> skips EF's start-up diff of the model against the migrations' snapshot (start-up time,
/// issue #14); this is that check, for each engine: a model change without its migration fails here.
/// </summary>
public sealed class MigrationSnapshotTests
{
    [Theory]
    [InlineData(DatabaseProviderKind.Sqlite, "Data Source=unused.db",
        "--project Grantex.Core --startup-project Grantex.Console --output-dir Persistence/Migrations --no-build")]
    [InlineData(DatabaseProviderKind.PostgreSQL, "Host=x;Database=y",
        "--project Grantex.Migrations.PostgreSQL --startup-project Grantex.Console --output-dir Migrations --no-build -- --Grantex:Database:Provider=PostgreSQL \"--ConnectionStrings:Grantex=Host=x;Database=y\"")]
    public void the_model_has_no_change_that_a_migration_does_not_hold(DatabaseProviderKind engine, string connectionString, string addArguments)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grantex:Database:Provider"] = engine.ToString(),
            ["ConnectionStrings:Grantex"] = connectionString,
            ["Grantex:DataDirectory"] = Path.GetTempPath(),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(settings);
        services.AddGrantexCore(settings);
        using var provider = services.BuildServiceProvider();
        using var db = provider.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContext();

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {engine} model has changes no migration holds: build, then dotnet ef migrations add <Name> {addArguments}; "
            + "then bash scripts/ef-compiled-model.sh.");
    }
}
