namespace Grantex.Core.Webhooks;

/// <summary>
/// When a failed delivery is tried again: exponential (base·2^(n−1), as the reference's 30, 60, 120, 240 s), capped,
/// with ±50 % jitter so that many deliveries failing together do not retry together.
/// </summary>
public static class WebhookRetrySchedule
{
    public static TimeSpan Delay(int failedAttempts, TimeSpan backoffBase, TimeSpan max, double random)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var ticks = Math.Min(backoffBase.Ticks * Math.Pow(2, exponent), max.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (0.5 + random)));
    }
}
