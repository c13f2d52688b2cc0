using Grantex.Console.Cli;
using Grantex.Core;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Persistence;

/// <summary>Choosing the engine by configuration, and migrating at start-up or separately (on whichever engine the suite runs).</summary>
public sealed class DatabaseSetupTests
{
    [Fact]
    public async Task with_automatic_migration_off_start_up_names_the_command_and_the_command_migrates()
    {
        var directory = TestSettings.NewDirectory("grantex-migrate-");
        try
        {
            await using var services = Services(directory, ("Grantex:Database:AutoMigrate", "false"));
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => services.InitializeGrantexAsync());
            Assert.Contains("database migrate", refused.Message, StringComparison.Ordinal);

            var output = new StringWriter();
            Assert.Equal(0, await CliRunner.RunAsync(services, ["database", "migrate"], output, new StringWriter()));
            Assert.Contains("Applied", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("InitialCreate", output.ToString(), StringComparison.Ordinal);

            await services.InitializeGrantexAsync();
            var again = new StringWriter();
            Assert.Equal(0, await CliRunner.RunAsync(services, ["database", "migrate"], again, new StringWriter()));
            Assert.Contains("up to date", again.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            TestSettings.DeleteDirectory(directory);
        }
    }

    [Fact]
    public void an_unknown_provider_or_a_postgresql_provider_without_a_connection_string_is_refused_clearly()
    {
        var unknown = Assert.Throws<InvalidOperationException>(() => GrantexCoreServiceCollectionExtensions.DatabaseProvider(Configuration(("Grantex:Database:Provider", "Oracle"))));
        Assert.Contains("use Sqlite or PostgreSQL", unknown.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<InvalidOperationException>(() => GrantexCoreServiceCollectionExtensions.DatabaseProvider(Configuration(("Grantex:Database:Provider", "PostgreSQL"))));
        Assert.Contains("ConnectionStrings:Grantex", missing.Message, StringComparison.Ordinal);
        Assert.Equal(DatabaseProviderKind.Sqlite, GrantexCoreServiceCollectionExtensions.DatabaseProvider(Configuration()).Kind);
    }

    private static ServiceProvider Services(string directory, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(TestSettings.For(directory, "https://grantex.test"))
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGrantexCore(configuration);
        return services.BuildServiceProvider();
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
