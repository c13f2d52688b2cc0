using System.ComponentModel.DataAnnotations;

namespace Grantex.Core.OAuth;

/// <summary>How clients may register with the standard OAuth 2.1 front (<c>Grantex:OAuth:Registration</c>).</summary>
public enum OAuthRegistrationMode
{
    /// <summary>Registration needs an initial access token that a developer created; the client joins that developer.</summary>
    Token,

    /// <summary>Anyone may register; clients join <see cref="OAuthOptions.OpenRegistrationDeveloperId"/>.</summary>
    Open,

    /// <summary>No dynamic registration (RFC 7591/7592 endpoints answer 404 in OAuth format).</summary>
    Off,
}

/// <summary>The standard OAuth 2.1 front for MCP clients (<c>Grantex:OAuth</c>).</summary>
public sealed class OAuthOptions
{
    public const string Section = "Grantex:OAuth";

    public OAuthRegistrationMode Registration { get; set; } = OAuthRegistrationMode.Token;

    /// <summary>The developer that open registration files clients under (required when <see cref="Registration"/> is open).</summary>
    public string? OpenRegistrationDeveloperId { get; set; }

    /// <summary>How long a grant made through the OAuth front lives (its access tokens never outlive it; refresh rotates within it).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan GrantLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long an initial access token from <c>POST /v1/oauth/registration-tokens</c> is valid by default.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan RegistrationTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a client's registration access token (RFC 7592) stays valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan RegistrationAccessTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The largest client metadata document accepted at registration, in bytes.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxMetadataBytes { get; set; } = 16 * 1024;
}
