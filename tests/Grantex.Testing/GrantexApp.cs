using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Grantex.Testing;

/// <summary>
/// The whole server (Program) for tests, the repository's one <see cref="WebApplicationFactory{TEntryPoint}"/>: the
/// in-memory TestServer by default, or real Kestrel on http://localhost:PORT (WebAuthn refuses an IP address as
/// relying-party id), always over its own SQLite file and keys with <see cref="TestSettings"/>. As an xunit fixture it
/// starts in <see cref="InitializeAsync"/>; otherwise call StartServer (or use Services or CreateClient).
/// </summary>
public sealed class GrantexApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly GrantexAppOptions _options;
    private readonly FakeTimeProvider? _time;

    public GrantexApp()
        : this(new GrantexAppOptions())
    {
    }

    private GrantexApp(GrantexAppOptions options)
    {
        _options = options;
        if (options.Kestrel)
        {
            Port = FreePort();
            BaseUrl = $"http://localhost:{Port}";
            UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        }
        else
        {
            BaseUrl = "http://localhost";
        }

        if (options.FakeTime)
        {
            _time = new FakeTimeProvider(TestSettings.Start);
        }
    }

    /// <summary>An app that differs from the default as <paramref name="options"/> say (xunit wants one public constructor).</summary>
    public static GrantexApp With(GrantexAppOptions options) => new(options);

    /// <summary>Kestrel's port (0 on the TestServer).</summary>
    public int Port { get; }

    /// <summary>Where the server is reached, and its Grantex:PublicBaseUrl.</summary>
    public string BaseUrl { get; }

    public string DataDirectory { get; } = TestSettings.NewDirectory("grantex-app-");

    public string DatabasePath => TestSettings.DatabasePath(DataDirectory);

    /// <summary>The server's clock, when the app was made with <see cref="GrantexAppOptions.FakeTime"/>.</summary>
    public FakeTimeProvider Time => _time ?? throw new InvalidOperationException("This app runs on the system clock; ask for FakeTime in its options.");

    /// <summary>Every log line, when the app was made with <see cref="GrantexAppOptions.CaptureLogs"/>.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    public Task InitializeAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        TestSettings.DeleteDirectory(DataDirectory);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in TestSettings.For(DataDirectory, BaseUrl).Concat(_options.Settings))
        {
            builder.UseSetting(key, value);
        }

        if (_time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_time));
        }

        if (_options.Services is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }

        if (_options.CaptureLogs)
        {
            builder.ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddFilter(_ => true);
                logging.Services.AddSingleton<ILoggerProvider>(new LogCapture(Logs));
            });
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
