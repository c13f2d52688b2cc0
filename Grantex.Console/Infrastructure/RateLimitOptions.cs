namespace Grantex.Console.Infrastructure;

/// <summary>
/// <c>Grantex:RateLimits</c>, requests per minute. Every call counts against the global limit of its developer
/// (authenticated) or client IP (anonymous or failed authentication); the routes below have a tighter limit of their
/// own on top, so a flood of one cannot starve the others.
/// </summary>
public sealed class RateLimitOptions
{
    public int PerDeveloperPerMinute { get; set; } = 1200;

    public int PerIpPerMinute { get; set; } = 600;

    /// <summary><c>/v1/authorize</c> (and its sandbox approve/deny), per developer.</summary>
    public int AuthorizePerMinute { get; set; } = 300;

    /// <summary><c>POST /v1/token</c> (code exchange), per developer.</summary>
    public int TokenPerMinute { get; set; } = 300;

    /// <summary><c>POST /v1/token/refresh</c>, per developer.</summary>
    public int TokenRefreshPerMinute { get; set; } = 300;

    /// <summary>
    /// <c>POST /v1/principal-sessions</c>, per developer: each call mints a bearer link to a person's grants, so a
    /// developer minting them in bulk is slowed long before the global limit.
    /// </summary>
    public int PrincipalSessionsPerMinute { get; set; } = 60;

    /// <summary>Posts to <c>/v1/consent/*</c> and the consent page (anonymous), per client IP. Reading them is not limited here.</summary>
    public int ConsentPerMinute { get; set; } = 60;
}
