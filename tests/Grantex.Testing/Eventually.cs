namespace Grantex.Testing;

/// <summary>
/// Waits for work done elsewhere (a background service, a browser) to show. The deadline only guards against a hang:
/// it is generous so that a loaded machine is slow, not failing, and no test asserts on how long the wait took.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public static async Task UntilAsync(Func<Task<bool>> condition, string failure)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail(failure);
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>The value a callback hands over (a <see cref="TaskCompletionSource{T}"/> it completes).</summary>
    public static async Task<T> SignalAsync<T>(TaskCompletionSource<T> signal, string failure)
    {
        try
        {
            return await signal.Task.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail(failure);
            throw;
        }
    }
}
