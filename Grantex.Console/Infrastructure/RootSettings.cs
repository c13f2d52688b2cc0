using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace Grantex.Console.Infrastructure;

public static class RootSettings
{
    /// <summary>
    /// Loads the repository root's appsettings.json (linked into the build output, never copied by hand) below
    /// environment variables and the command line, so <c>ConnectionStrings__Grantex=…</c> and <c>--urls</c> win.
    /// </summary>
    public static WebApplicationBuilder AddRootSettings(this WebApplicationBuilder builder)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var sources = builder.Configuration.Sources;
        var index = sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource);
        var source = new JsonConfigurationSource { Path = path, Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        sources.Insert(index < 0 ? sources.Count : index, source);
        return builder;
    }
}
