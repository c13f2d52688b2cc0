using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Grantex.Testing;

/// <summary>
/// The bUnit base of every component test: a fresh context per test with MudBlazor's services, a fake clock the
/// components read, loose JS interop, and waits generous enough for a loaded machine. Disposed asynchronously
/// (MudBlazor's services are only IAsyncDisposable).
/// </summary>
public abstract class ComponentTest : IAsyncLifetime
{
    protected ComponentTest()
    {
        Context.Services.AddMudServices();
        Context.Services.AddSingleton<TimeProvider>(Time);
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        BunitContext.DefaultWaitTimeout = Eventually.Deadline;
    }

    protected BunitContext Context { get; } = new();

    /// <summary>The clock every component and service in <see cref="Context"/> reads.</summary>
    protected FakeTimeProvider Time { get; } = new(TestSettings.Start);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await Context.DisposeAsync();
}
