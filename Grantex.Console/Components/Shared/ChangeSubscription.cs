using Grantex.Core.Common;
using Microsoft.AspNetCore.Components;

namespace Grantex.Console.Components.Shared;

/// <summary>
/// Keeps an open page current: when a matching change is committed (by this console, another one or the API), the
/// page's reload runs on its own circuit (through the component's InvokeAsync). Bursts are coalesced into one reload
/// a moment later, so a cascade of many grants refreshes a page once. A prerender (or any static render) does not
/// subscribe: its page lives only until the response is sent, and a reload started by a notice would run on the
/// request's scope after nobody awaits it (the interactive render subscribes for real).
/// </summary>
public sealed class ChangeSubscription : IDisposable
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(250);
    private readonly ChangeNotifier _notifier;
    private readonly Func<ChangeNotice, bool> _matches;
    private readonly Func<Func<Task>, Task> _invoke;
    private readonly Func<Task> _reload;
    private readonly CancellationTokenSource _disposed = new();
    private int _pending;

    /// <param name="renderer">The component's <c>RendererInfo</c>: only an interactive render subscribes.</param>
    /// <param name="invoke">The component's <c>InvokeAsync</c>.</param>
    public ChangeSubscription(ChangeNotifier notifier, RendererInfo renderer, Func<ChangeNotice, bool> matches, Func<Func<Task>, Task> invoke, Func<Task> reload)
    {
        _notifier = notifier;
        _matches = matches;
        _invoke = invoke;
        _reload = reload;
        if (renderer.IsInteractive)
        {
            notifier.Changed += OnChanged;
        }
    }

    public void Dispose()
    {
        _notifier.Changed -= OnChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private void OnChanged(ChangeNotice notice)
    {
        if (!_matches(notice) || Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        var token = _disposed.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(Coalesce, token);
                Interlocked.Exchange(ref _pending, 0);
                await _invoke(_reload);
            }
            catch (OperationCanceledException)
            {
                // The page was closed.
            }
            catch (ObjectDisposedException)
            {
                // The circuit went away.
            }
        }, CancellationToken.None);
    }
}
