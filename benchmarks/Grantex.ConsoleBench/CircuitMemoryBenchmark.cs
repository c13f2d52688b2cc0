using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Grantex.ConsoleBench;

/// <summary>
/// Memory per open console: the real app on Kestrel (in this process, so its managed heap can be measured after a full
/// collection), one headless Chromium, an administrator signed in; then N more tabs open the Grants page (1,000 grants,
/// one circuit each) and the growth of the GC heap and of the process working set is divided by N.
/// </summary>
internal static class CircuitMemoryBenchmark
{
    public static async Task<int> RunAsync(int circuits, string path = "/grants")
    {
        await using var app = new App();
        app.StartServer();
        await GrantListBenchmark.SeedAsync(app.Services, 1000);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = "en-US" });
        var first = await context.NewPageAsync();
        await first.GotoAsync("/account/setup");
        await first.GetByLabel("User name").FillAsync("bench");
        await first.GetByLabel("Password (at least 12 characters)").FillAsync("a long enough password");
        await first.GetByLabel("Repeat the password").FillAsync("a long enough password");
        await first.GetByRole(AriaRole.Button, new() { Name = "Create with a password" }).ClickAsync();
        await first.WaitForURLAsync("**/account/security?first=1");
        await OpenAsync(first, path);

        var (heapBefore, setBefore) = Measure();
        var pages = new List<IPage>();
        for (var i = 0; i < circuits; i++)
        {
            var page = await context.NewPageAsync();
            await OpenAsync(page, path);
            pages.Add(page);
        }

        var (heapAfter, setAfter) = Measure();
        System.Console.WriteLine($"{circuits} more open consoles ({path}, one circuit each; /grants shows 25 rows):");
        System.Console.WriteLine($"  GC heap      {heapBefore / 1048576.0:0.0} MiB -> {heapAfter / 1048576.0:0.0} MiB: {(heapAfter - heapBefore) / 1024.0 / circuits:0} KiB per circuit");
        System.Console.WriteLine($"  working set  {setBefore / 1048576.0:0.0} MiB -> {setAfter / 1048576.0:0.0} MiB: {(setAfter - setBefore) / 1024.0 / circuits:0} KiB per circuit");
        return 0;
    }

    private static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForSelectorAsync("[data-interactive]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        if (path.StartsWith("/grants", StringComparison.Ordinal))
        {
            await page.WaitForSelectorAsync(".gx-grant-row", new PageWaitForSelectorOptions { Timeout = 60_000 });
        }
    }

    private static (long Heap, long WorkingSet) Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    private sealed class App : WebApplicationFactory<Program>
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("grantex-bench-app-").FullName;

        public App()
        {
            var port = FreePort();
            BaseUrl = $"http://localhost:{port}";
            UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        }

        public string BaseUrl { get; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Grantex", $"Data Source={Path.Combine(_directory, "grantex.db")}");
            builder.UseSetting("Grantex:DataProtection:KeysPath", Path.Combine(_directory, "keys"));
            builder.UseSetting("Grantex:PublicBaseUrl", BaseUrl);
            builder.UseSetting("Grantex:RateLimits:PerIpPerMinute", "100000");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
