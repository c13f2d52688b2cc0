using Grantex.Core.Identity;

namespace Grantex.Core.Tokens;

public sealed class GrantTokenVerifierOptions
{
    /// <summary>The expected <c>iss</c>: the server's public base URL.</summary>
    public required string Issuer { get; init; }

    /// <summary>When set, the token's <c>aud</c> must equal it (a token without <c>aud</c> is refused).</summary>
    public string? Audience { get; init; }

    /// <summary>Scopes the token must all carry.</summary>
    public IReadOnlyList<string> RequiredScopes { get; init; } = [];

    /// <summary>
    /// The least the person must have been identified with (none &lt; sso &lt; passkey), read from the token's
    /// <c>idv.m</c>; a token without it counts as <see cref="IdentityLevel.None"/>.
    /// </summary>
    public IdentityLevel MinimumIdentity { get; init; } = IdentityLevel.None;

    /// <summary>Tolerated clock difference for <c>exp</c>/<c>iat</c> (default none).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.Zero;

    /// <summary>Tokens longer than this are refused before any parsing (ours are under 2 KB).</summary>
    public int MaxTokenLength { get; init; } = 8 * 1024;
}
