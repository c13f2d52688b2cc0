using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Grantex.Browser.Tests;

/// <summary>
/// The real app on Kestrel (http://localhost:PORT — WebAuthn refuses an IP address as relying-party id) with its
/// own SQLite file, and one headless Debian Chromium shared by every browser test (they run in one collection).
/// </summary>
public class BrowserAppFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public BrowserAppFixture()
    {
        Port = FreePort();
        BaseUrl = $"http://localhost:{Port}";
        UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("grantex-browser-").FullName;

    public string DatabasePath => Path.Combine(DataDirectory, "grantex.db");

    /// <summary>Where tests save screenshots (look at them): tests/Grantex.Browser.Tests/bin/.../screenshots.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public IPlaywright Playwright { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        StartServer();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A fresh, isolated browser context (cookies, storage) with a fixed en-US locale.</summary>
    public Task<IBrowserContext> NewContextAsync(ViewportSize? viewport = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", TimezoneId = "UTC", BaseURL = BaseUrl, ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 } });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await DisposeAsync();
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Grantex", $"Data Source={DatabasePath}");
        builder.UseSetting("Grantex:DataProtection:KeysPath", Path.Combine(DataDirectory, "keys"));
        builder.UseSetting("Grantex:PublicBaseUrl", BaseUrl);
        builder.UseSetting("Grantex:RateLimits:PerDeveloperPerMinute", "100000");
        builder.UseSetting("Grantex:RateLimits:PerIpPerMinute", "100000");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
