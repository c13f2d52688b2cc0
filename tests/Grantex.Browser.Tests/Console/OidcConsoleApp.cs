using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Grantex.Browser.Tests.Console;

/// <summary>A second Grantex on Kestrel with its own SQLite file, its console sign-in pointed at the in-test provider.</summary>
internal sealed class OidcConsoleApp : WebApplicationFactory<Program>
{
    private readonly string _authority;

    public OidcConsoleApp(string authority)
    {
        _authority = authority;
        Port = FreePort();
        BaseUrl = $"http://localhost:{Port}";
        UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("grantex-oidc-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Grantex", $"Data Source={Path.Combine(DataDirectory, "grantex.db")}");
        builder.UseSetting("Grantex:DataProtection:KeysPath", Path.Combine(DataDirectory, "keys"));
        builder.UseSetting("Grantex:PublicBaseUrl", BaseUrl);
        builder.UseSetting("Grantex:RateLimits:PerIpPerMinute", "100000");
        builder.UseSetting("Grantex:Console:Oidc:Enabled", "true");
        builder.UseSetting("Grantex:Console:Oidc:DisplayName", "Example SSO");
        builder.UseSetting("Grantex:Console:Oidc:Authority", _authority);
        builder.UseSetting("Grantex:Console:Oidc:ClientId", OidcProvider.ClientId);
        builder.UseSetting("Grantex:Console:Oidc:ClientSecret", OidcProvider.ClientSecret);
        builder.UseSetting("Grantex:Console:Oidc:RequireHttpsMetadata", "false");
        builder.UseSetting("Grantex:Console:Oidc:RoleClaim", "roles");
        builder.UseSetting("Grantex:Console:Oidc:RoleMap:grantex-auditors", "ComplianceOfficer");
        builder.UseSetting("Grantex:Console:Oidc:RoleMap:grantex-admins", "Administrator");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
