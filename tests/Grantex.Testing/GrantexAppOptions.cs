namespace Grantex.Testing;

/// <summary>How a <see cref="GrantexApp"/> differs from the default (in-memory TestServer, system clock).</summary>
public sealed record GrantexAppOptions
{
    /// <summary>
    /// Real Kestrel on http://localhost:PORT instead of the in-memory TestServer: for a browser, or to have the server
    /// refuse synchronous I/O as in production.
    /// </summary>
    public bool Kestrel { get; init; }

    /// <summary>A <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> (at <see cref="TestSettings.Start"/>) the test moves by hand.</summary>
    public bool FakeTime { get; init; }

    /// <summary>Keeps every log line, at Debug level and above, in <see cref="GrantexApp.Logs"/>.</summary>
    public bool CaptureLogs { get; init; }

    /// <summary>Replaces services after the app's own (e.g. a test DNS for webhook targets).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services { get; init; }

    /// <summary>Settings on top of <see cref="TestSettings.For"/> (e.g. a lower rate limit).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}
