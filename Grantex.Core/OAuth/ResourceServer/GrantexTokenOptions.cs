using Microsoft.AspNetCore.Authentication;

namespace Grantex.Core.OAuth.ResourceServer;

/// <summary>
/// Options of <see cref="GrantexTokenHandler"/>: which Grantex server issued the tokens, which resource this server is,
/// and how it authenticates to the introspection endpoint (a developer API key, or a confidential client's id and
/// secret).
/// </summary>
public sealed class GrantexTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>The Grantex server's public base URL (its <c>iss</c>), e.g. <c>https://grantex.example.com</c>.</summary>
    public string Authority { get; set; } = "";

    /// <summary>This server's resource indicator: tokens must carry it as <c>aud</c> (RFC 8707).</summary>
    public string Resource { get; set; } = "";

    /// <summary>The developer's API key, sent as a Bearer token to the introspection endpoint.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Or a confidential client's id (client_secret_basic).</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The HTTP client for introspection; a default one when not set.</summary>
    public HttpClient? Backchannel { get; set; }
}

public static class GrantexTokenDefaults
{
    public const string AuthenticationScheme = "GrantexToken";

    /// <summary>Claim types the handler sets besides <c>sub</c>.</summary>
    public const string ScopeClaim = "scope";
    public const string ClientIdClaim = "client_id";
    public const string GrantIdClaim = "grnt";
    public const string AgentDidClaim = "agt";
}
