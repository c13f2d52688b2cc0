using Grantex.Console.Components.Account;
using Grantex.Core;
using Grantex.Core.Common;
using Grantex.Core.Keys;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Infrastructure;

public static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GrantexOptions>>().Value;
        var database = app.Services.GetRequiredService<Grantex.Core.Persistence.IDatabaseProvider>().Kind;
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Grantex");
        log.LogInformation("Grantex is listening on {Urls}; public URL (token issuer) {Issuer}", string.Join(", ", app.Urls), options.Issuer);
        log.LogInformation("Database {Provider}; data folder {Folder}; API reference at {Docs}", database, GrantexCoreServiceCollectionExtensions.DataDirectory(app.Configuration), options.Issuer + "/docs");
        var setup = app.Services.GetRequiredService<SetupCode>();
        if (setup.IsActive)
        {
            log.LogWarning("First step: open {Console} in a browser to create the first console administrator (set-up code: in the warning above and in {Path})",
                options.Issuer + "/", setup.FilePath);
        }
        else
        {
            log.LogInformation("Admin console at {Console}", options.Issuer + "/");
        }

        KeyRingProtection.Describe(app.Configuration, KeyRingProtection.InDatabase(app.Configuration) ? "the database" : GrantexCoreServiceCollectionExtensions.DataProtectionKeysPath(app.Configuration), log);
        var issuer = new Uri(options.Issuer);
        var local = issuer.IsLoopback && !app.Urls.Any(u => Uri.TryCreate(u, UriKind.Absolute, out var url) && url.Port == issuer.Port);
        if (local)
        {
            log.LogWarning(
                "Grantex:PublicBaseUrl is {Issuer} but the server listens on {Urls}: tokens will name that issuer and consent links will point there. Set Grantex__PublicBaseUrl to the URL clients use.",
                options.Issuer, string.Join(", ", app.Urls));
        }
    }
}
