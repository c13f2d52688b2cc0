namespace Grantex.Compliance.Tests.Infrastructure;

/// <summary>One <see cref="CoreHost"/> (one SQLite file) per test class; each test works with its own developer.</summary>
public sealed class CoreHostFixture : IAsyncLifetime
{
    private CoreHost? _host;

    public CoreHost Host => _host ?? throw new InvalidOperationException("The host is not started.");

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
