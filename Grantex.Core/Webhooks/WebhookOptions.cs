using System.ComponentModel.DataAnnotations;

namespace Grantex.Core.Webhooks;

/// <summary>
/// Settings under <c>Grantex:Webhooks</c>. The defaults follow the reference (5 attempts, 30 s backoff base, 10 s
/// timeout) and refuse every non-public target; tests and private deployments open exactly what they need with
/// <see cref="AllowPrivateNetworks"/> and <see cref="AllowedHosts"/>.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Grantex:Webhooks";

    /// <summary>Runs the background fan-out and deliverer (off: events and deliveries wait in the database).</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>Attempts per delivery before it is dead-lettered as <c>failed</c>.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry waits about this long; each later one twice as long, with ±50 % jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>No retry waits longer than this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The whole attempt: connect, send, status line and the bounded body prefix.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How much of a receiver's response body is read and kept (the rest is never read).</summary>
    [Range(0, 65536)]
    public int MaxResponseBytes { get; set; } = 4096;

    /// <summary>After a secret rotation, the previous secret also signs (in <c>-Previous</c> headers) this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    [Range(1, 10000)]
    public int MaxPerDeveloper { get; set; } = 100;

    /// <summary>Requests in flight across all webhooks.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>Requests in flight to one webhook (a slow receiver cannot take every slot).</summary>
    [Range(1, 256)]
    public int MaxConcurrencyPerWebhook { get; set; } = 16;

    /// <summary>How often due retries and expired leases are looked for (new events wake the deliverer at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Require https targets. Null (the default) means: required in the Production environment, allowed elsewhere.
    /// </summary>
    public bool? RequireHttps { get; set; }

    /// <summary>
    /// CIDR ranges (e.g. <c>127.0.0.0/8</c>, <c>10.20.0.0/16</c>) that webhooks may reach although they are not public.
    /// Empty by default: every loopback, private, link-local, CGNAT… address is refused.
    /// </summary>
    public List<string> AllowPrivateNetworks { get; set; } = [];

    /// <summary>Host names (exact, case-insensitive) allowed even when named <c>localhost</c> or resolving to a private address.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>How long a claimed delivery stays leased: longer than an attempt, so a crashed process's rows return.</summary>
    public TimeSpan Lease => RequestTimeout + TimeSpan.FromSeconds(5);
}
