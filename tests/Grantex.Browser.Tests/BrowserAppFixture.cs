using Grantex.Testing;
using Microsoft.Playwright;

namespace Grantex.Browser.Tests;

/// <summary>
/// The real app on Kestrel (a <see cref="GrantexApp"/> on http://localhost:PORT) with its own SQLite file, and one
/// headless Debian Chromium shared by the tests of a collection (they run one after another). Waits are generous and
/// explicit: a loaded machine makes a test slow, not red.
/// </summary>
public class BrowserAppFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long an action, a navigation or an <c>Expect</c> may take before the test fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public GrantexApp App { get; } = GrantexApp.With(new GrantexAppOptions { Kestrel = true });

    public int Port => App.Port;

    public string BaseUrl => App.BaseUrl;

    public IServiceProvider Services => App.Services;

    public string DataDirectory => App.DataDirectory;

    public string DatabasePath => App.DatabasePath;

    /// <summary>Where tests save screenshots (look at them): tests/Grantex.Browser.Tests/bin/.../screenshots.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public IPlaywright Playwright { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        Assertions.SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = (float)Timeout.TotalMilliseconds,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>
    /// A fresh, isolated browser context (cookies, storage) with a fixed en-US locale and UTC, on this app or on
    /// <paramref name="baseUrl"/>, with the generous default timeouts.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(ViewportSize? viewport = null, string? baseUrl = null, string timeZone = "UTC")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "en-US",
            TimezoneId = timeZone,
            BaseURL = baseUrl ?? BaseUrl,
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Timeout.TotalMilliseconds);
        return context;
    }

    /// <summary>
    /// Waits until no finite CSS transition or animation is running: a colour-scheme switch fades buttons and text
    /// over a few hundred milliseconds, and a contrast check or screenshot taken mid-fade measures colours no one
    /// sees at rest. Infinite animations (a spinner) are not waited for.
    /// </summary>
    public static Task TransitionsSettledAsync(IPage page) =>
        page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || !isFinite(a.effect?.getComputedTiming().endTime ?? 0))",
            null,
            new PageWaitForFunctionOptions { PollingInterval = 50 });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await App.DisposeAsync();
    }
}
