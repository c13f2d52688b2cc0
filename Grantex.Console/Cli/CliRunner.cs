using System.Text.Json;
using Grantex.Core;
using Grantex.Core.Developers;
using Grantex.Core.Keys;
using Grantex.Core.Persistence;

namespace Grantex.Console.Cli;

/// <summary>
/// Operator commands that run against the same database as the server (and while it runs):
/// <c>developer create</c>, <c>keys rotate</c>, <c>keys list</c>; and <c>audit-pack verify</c>, which needs no database.
/// </summary>
public static class CliRunner
{
    private const string Usage = """
        Usage:
          Grantex.Console developer create --name NAME [--mode sandbox|live] [--email EMAIL] [--json]
          Grantex.Console database migrate
          Grantex.Console keys rotate [--json]
          Grantex.Console keys list [--json]
          Grantex.Console token verify --token JWT --jwks URL-or-FILE [--issuer ISS] [--audience AUD] [--scope S1,S2] [--min-identity none|sso|passkey]
        """ + "\n" + AuditPackCommand.Usage;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "developer" or "keys" or "token" or "audit-pack" or "database";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        // Offline: checks a pack with its own contents and a JWKS; the database is neither opened nor migrated.
        if (args.Length > 0 && args[0] == "audit-pack")
        {
            return await AuditPackCommand.RunAsync(args[1..], output, error);
        }

        var options = ParseOptions(args.Skip(2).ToArray(), out var problem);
        if (problem is not null || args.Length < 2)
        {
            await error.WriteLineAsync(problem ?? Usage);
            return 2;
        }

        if (args[0] == "token")
        {
            // Offline: needs no database, only the JWKS.
            return args[1] == "verify" ? await TokenVerifyCommand.RunAsync(options, output, error) : await UsageAsync(error);
        }

        if (args[0] == "database")
        {
            // Applies the migrations itself (for Grantex:Database:AutoMigrate=false), so nothing else starts first.
            return args[1] == "migrate" ? await MigrateAsync(services, output) : await UsageAsync(error);
        }

        await services.InitializeGrantexAsync();
        // Outside the server (the usual case) the CLI runs its own writer loop; inside a running host it uses the host's.
        var writer = services.GetRequiredService<WriteQueue>();
        var ownWriter = writer.ExecuteTask is null;
        if (ownWriter)
        {
            await writer.StartAsync(CancellationToken.None);
        }

        try
        {
            return (args[0], args[1]) switch
            {
                ("developer", "create") => await CreateDeveloperAsync(services, options, output, error),
                ("keys", "rotate") => await RotateKeysAsync(services, options, output),
                ("keys", "list") => await ListKeysAsync(services, options, output),
                _ => await UsageAsync(error),
            };
        }
        finally
        {
            if (ownWriter)
            {
                await writer.StopAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, TextWriter output)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = services.GetRequiredService<IDatabaseProvider>();
        var applied = await DatabaseInitializer.MigrateAsync(scope.ServiceProvider.GetRequiredService<GrantexDbContext>(), provider);
        await output.WriteLineAsync(applied.Count == 0
            ? $"The {provider.Kind} database is up to date."
            : $"Applied {applied.Count} migration(s) to the {provider.Kind} database: {string.Join(", ", applied)}");
        return 0;
    }

    private static async Task<int> CreateDeveloperAsync(IServiceProvider services, Dictionary<string, string?> options, TextWriter output, TextWriter error)
    {
        var mode = options.GetValueOrDefault("mode") switch
        {
            null or "live" => DeveloperMode.Live,
            "sandbox" => DeveloperMode.Sandbox,
            _ => (DeveloperMode?)null,
        };
        if (mode is null)
        {
            await error.WriteLineAsync("--mode must be sandbox or live.");
            return 2;
        }

        var result = await services.GetRequiredService<DeveloperService>().CreateAsync(options.GetValueOrDefault("name"), mode.Value, options.GetValueOrDefault("email"));
        if (!result.IsSuccess)
        {
            await error.WriteLineAsync(result.Error.Message);
            return 1;
        }

        var d = result.Value.Developer;
        if (options.ContainsKey("json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { developerId = d.Id, apiKey = result.Value.ApiKey, name = d.Name, mode = d.IsSandbox ? "sandbox" : "live" }, Json));
        }
        else
        {
            await output.WriteLineAsync($"Developer {d.Id} ({d.Name}, {(d.IsSandbox ? "sandbox" : "live")}) created.");
            await output.WriteLineAsync($"API key (shown once, store it now): {result.Value.ApiKey}");
        }

        return 0;
    }

    private static async Task<int> RotateKeysAsync(IServiceProvider services, Dictionary<string, string?> options, TextWriter output)
    {
        var key = await services.GetRequiredService<SigningKeyStore>().RotateAsync();
        await output.WriteLineAsync(options.ContainsKey("json")
            ? JsonSerializer.Serialize(new { kid = key.Id, createdAt = key.CreatedAt }, Json)
            : $"New signing key {key.Id}. Earlier keys stay in the JWKS until every token they signed has expired; a running server picks the new key up within 30 seconds.");
        return 0;
    }

    private static async Task<int> ListKeysAsync(IServiceProvider services, Dictionary<string, string?> options, TextWriter output)
    {
        var keys = await services.GetRequiredService<SigningKeyStore>().ListAsync();
        if (options.ContainsKey("json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(keys.Select(k => new { kid = k.Id, status = k.Status, k.CreatedAt, k.RotatedAt, k.RetiredAt }), Json));
            return 0;
        }

        foreach (var k in keys)
        {
            await output.WriteLineAsync($"{k.Id}  {k.Status,-9}  created {k.CreatedAt:u}");
        }

        return 0;
    }

    private static async Task<int> UsageAsync(TextWriter error)
    {
        await error.WriteLineAsync(Usage);
        return 2;
    }

    private static Dictionary<string, string?> ParseOptions(string[] args, out string? problem)
    {
        problem = null;
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                problem = $"Unexpected argument '{args[i]}'.\n{Usage}";
                return options;
            }

            var name = args[i][2..];
            if (name == "json")
            {
                options[name] = null;
            }
            else if (i + 1 < args.Length)
            {
                options[name] = args[++i];
            }
            else
            {
                problem = $"--{name} needs a value.\n{Usage}";
                return options;
            }
        }

        return options;
    }
}
