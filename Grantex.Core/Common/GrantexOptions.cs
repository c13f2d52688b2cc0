using System.ComponentModel.DataAnnotations;

namespace Grantex.Core.Common;

/// <summary>Settings under the <c>Grantex</c> section of appsettings.json.</summary>
public sealed class GrantexOptions
{
    public const string Section = "Grantex";

    /// <summary>The server's public URL: the <c>iss</c> of every token and the base of consent URLs.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>How long an authorization code may wait for its exchange (api.md: at most 10 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:10:00")]
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a pending consent request stays open for the person to decide.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ConsentRequestLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Refresh tokens live this long, or until the grant expires if sooner.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Maximum delegation depth, 1–10 (api.md; default 3).</summary>
    [Range(1, 10)]
    public int MaxDelegationDepth { get; set; } = 3;

    /// <summary>How long a rotated API key keeps working (default 0, like the reference).</summary>
    public TimeSpan ApiKeyRotationGrace { get; set; } = TimeSpan.Zero;

    /// <summary>Longest grant lifetime an <c>expiresIn</c> may ask for.</summary>
    public TimeSpan MaxGrantLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Rotate the signing key automatically when it is older than this (zero: only by hand).</summary>
    public TimeSpan SigningKeyRotationInterval { get; set; } = TimeSpan.FromDays(90);

    public string Issuer => PublicBaseUrl.TrimEnd('/');
}
