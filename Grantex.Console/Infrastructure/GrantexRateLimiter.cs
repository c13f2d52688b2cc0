using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Grantex.Console.Api;
using Grantex.Core.Common;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Infrastructure;

/// <summary>
/// ASP.NET Core's partitioned fixed-window limiter: one window per developer for authenticated calls, one per client
/// IP for the rest (so repeated failed authentications are limited too). It also supplies the three
/// <c>x-ratelimit-*</c> headers (reset in seconds, not an epoch) and the 429 body that existing clients parse.
/// </summary>
public sealed class GrantexRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, long> _windowStarts = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly RateLimitOptions _options;

    public GrantexRateLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        Limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var (key, limit) = Partition(context);
            return RateLimitPartition.GetFixedWindowLimiter(key, k =>
            {
                _windowStarts[k] = _time.GetTimestamp();
                return new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = Window, QueueLimit = 0, AutoReplenishment = true };
            });
        });
    }

    /// <summary>Route policies (endpoint metadata): limits of their own on top of the global one.</summary>
    public const string AuthorizePolicy = "authorize";
    public const string TokenPolicy = "token";
    public const string TokenRefreshPolicy = "token-refresh";
    public const string ConsentPolicy = "consent";
    public const string PrincipalSessionPolicy = "principal-sessions";

    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    /// <summary>
    /// The partition of a route policy: per developer on API-key routes (per IP if authentication failed), per client IP
    /// for consent posts; reading a consent request or page is left to the global limit.
    /// </summary>
    public RateLimitPartition<string> RoutePartition(string policy, HttpContext context)
    {
        if (policy == ConsentPolicy && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            return RateLimitPartition.GetNoLimiter(policy + ":read");
        }

        var limit = policy switch
        {
            AuthorizePolicy => _options.AuthorizePerMinute,
            TokenPolicy => _options.TokenPerMinute,
            TokenRefreshPolicy => _options.TokenRefreshPerMinute,
            PrincipalSessionPolicy => _options.PrincipalSessionsPerMinute,
            _ => _options.ConsentPerMinute,
        };
        var key = policy + ":" + Partition(context).Key;
        return RateLimitPartition.GetFixedWindowLimiter(key, k =>
        {
            _windowStarts[k] = _time.GetTimestamp();
            return new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = Window, QueueLimit = 0, AutoReplenishment = true };
        });
    }

    public (string Key, int Limit) Partition(HttpContext context) => context.CallerOrNull() is { } caller
        ? ("dev:" + caller.Developer.Id, _options.PerDeveloperPerMinute)
        : ("ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _options.PerIpPerMinute);

    /// <summary>Adds the three headers to an authenticated response about to be sent.</summary>
    public void AddHeaders(HttpContext context)
    {
        var (key, limit) = Partition(context);
        var remaining = Limiter.GetStatistics(context)?.CurrentAvailablePermits ?? limit;
        var headers = context.Response.Headers;
        headers["x-ratelimit-limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset"] = ResetSeconds(key).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Seconds until the partition's window renews (1–60).</summary>
    public int ResetSeconds(string key)
    {
        if (!_windowStarts.TryGetValue(key, out var start))
        {
            return (int)Window.TotalSeconds;
        }

        var elapsed = _time.GetElapsedTime(start).Ticks % Window.Ticks;
        return Math.Clamp((int)Math.Ceiling((Window.Ticks - elapsed) / (double)TimeSpan.TicksPerSecond), 1, (int)Window.TotalSeconds);
    }

    public async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var (key, _) = Partition(context);
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : ResetSeconds(key);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.CallerOrNull() is not null)
        {
            AddHeaders(context);
        }

        await ApiError.WriteAsync(context, new GxError(GxErrorKind.TooManyRequests, ErrorCodes.RateLimitExceeded,
            $"Rate limit exceeded, retry in {seconds} seconds"));
    }
}
