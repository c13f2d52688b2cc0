namespace Grantex.Core.Webhooks;

/// <summary>
/// Wakes the deliverer: a new event was committed, a redelivery or test was queued, or a slot became free. Pulses
/// coalesce (many events, one wake-up); the deliverer always re-reads the database, so a lost pulse only delays
/// work until the next sweep.
/// </summary>
public sealed class WebhookSignal
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Pulse()
    {
        try
        {
            if (_pulse.CurrentCount == 0)
            {
                _pulse.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already pulsed.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}
