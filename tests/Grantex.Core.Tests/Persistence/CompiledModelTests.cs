using System.Text.RegularExpressions;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Core.Tests.Persistence;

/// <summary>
/// The servers use a compiled EF model per engine (<c>Grantex.Core/Persistence/CompiledModels</c>) instead of building
/// one from <c>OnModelCreating</c> at start-up. These tests generate the compiled model again, in memory, from today's
/// <c>OnModelCreating</c> with EF's own generator (what <c>dotnet ef dbcontext optimize</c> writes) and fail when any
/// committed file differs: a model change without regenerating can never reach a server.
/// </summary>
public sealed partial class CompiledModelTests
{
    [Theory]
    [InlineData(DatabaseProviderKind.Sqlite, "Sqlite", "Data Source=unused.db")]
    [InlineData(DatabaseProviderKind.PostgreSQL, "PostgreSQL", "Host=x;Database=y")]
    public void the_committed_compiled_model_is_what_OnModelCreating_generates_today(
        DatabaseProviderKind engine, string folder, string connectionString)
    {
        var directory = Path.Combine(PostgresCluster.RepositoryRoot(), "Grantex.Core", "Persistence", "CompiledModels", folder);
        var expected = Generate(engine, connectionString, "Grantex.Core.Persistence.CompiledModels." + folder)
            .Where(file => !file.Path.EndsWith("AssemblyAttributes.cs", StringComparison.Ordinal))
            .ToDictionary(file => file.Path, file => Normalize(file.Code), StringComparer.Ordinal);
        var committed = Directory.GetFiles(directory, "*.cs")
            .ToDictionary(path => Path.GetFileName(path), path => Normalize(File.ReadAllText(path)), StringComparer.Ordinal);

        var regenerate = $"The {folder} compiled model is stale: run `bash scripts/ef-compiled-model.sh` (regenerates both engines' "
            + "models with `dotnet ef dbcontext optimize`).";
        Assert.True(expected.Keys.Order(StringComparer.Ordinal).SequenceEqual(committed.Keys.Order(StringComparer.Ordinal)),
            $"{regenerate}\nfiles generated: {string.Join(", ", expected.Keys.Order(StringComparer.Ordinal))}\nfiles committed: {string.Join(", ", committed.Keys.Order(StringComparer.Ordinal))}");
        foreach (var (name, code) in expected)
        {
            Assert.True(code == committed[name], $"{regenerate}\n{name} differs from what OnModelCreating generates today.");
        }
    }

    [Theory]
    [InlineData(DatabaseProviderKind.Sqlite, "Data Source=unused.db")]
    [InlineData(DatabaseProviderKind.PostgreSQL, "Host=x;Database=y")]
    public void every_context_of_a_server_runs_on_its_engines_compiled_model(DatabaseProviderKind engine, string connectionString)
    {
        using var services = Services(engine, connectionString);
        using var db = services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContext();

        var expected = engine == DatabaseProviderKind.Sqlite
            ? Core.Persistence.CompiledModels.Sqlite.GrantexDbContextModel.Instance
            : Core.Persistence.CompiledModels.PostgreSQL.GrantexDbContextModel.Instance;
        Assert.Same(expected, db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Model);
        Assert.Equal(engine == DatabaseProviderKind.PostgreSQL, db.Database.IsNpgsql());
    }

    // The model's id is a new GUID each time the tool runs; everything else must match byte for byte (line endings aside).
    private static string Normalize(string code) => ModelId().Replace(code.Replace("\r\n", "\n", StringComparison.Ordinal), "modelId: new Guid()");

    [GeneratedRegex("modelId: new Guid\\(\"[0-9a-f-]{36}\"\\)")]
    private static partial Regex ModelId();

    private static ServiceProvider Services(DatabaseProviderKind engine, string connectionString)
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
        return services.BuildServiceProvider();
    }

    private static IReadOnlyCollection<ScaffoldedFile> Generate(DatabaseProviderKind engine, string connectionString, string modelNamespace)
    {
        using var services = Services(engine, connectionString);
        using var db = services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContext();

        // The model built from OnModelCreating (the design-time model; the runtime one is the compiled model), and EF's
        // design-time services for this engine, as `dotnet ef dbcontext optimize` gets them. EF1001: these builder
        // types are EF's internal API; the tool itself uses them, and an EF upgrade that changes them fails here first.
#pragma warning disable EF1001
        var reporter = new OperationReporter(handler: null);
        var design = new DesignTimeServicesBuilder(typeof(GrantexDbContext).Assembly, typeof(GrantexDbContext).Assembly, reporter, [])
            .Build(db);
#pragma warning restore EF1001
        var model = db.GetService<IDesignTimeModel>().Model;
        var options = new CompiledModelCodeGenerationOptions
        {
            ContextType = typeof(GrantexDbContext),
            ModelNamespace = modelNamespace,
            Language = "C#",
            UseNullableReferenceTypes = true,
        };
        return design.GetRequiredService<ICompiledModelCodeGeneratorSelector>().Select(options).GenerateModel(model, options);
    }
}
