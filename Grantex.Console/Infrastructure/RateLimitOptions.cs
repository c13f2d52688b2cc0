namespace Grantex.Console.Infrastructure;

/// <summary><c>Grantex:RateLimits</c>: requests per minute per developer (authenticated) and per IP (anonymous or failed auth).</summary>
public sealed class RateLimitOptions
{
    public int PerDeveloperPerMinute { get; set; } = 1200;

    public int PerIpPerMinute { get; set; } = 600;
}
