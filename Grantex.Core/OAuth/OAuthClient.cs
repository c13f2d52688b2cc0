namespace Grantex.Core.OAuth;

/// <summary>
/// The OAuth side of an agent registered through RFC 7591: its <c>client_id</c> is the agent id, its redirect URIs
/// are the agent's, so the client is an agent like any other (DID, grants, suspension, audit). Secrets and the
/// registration access token are stored as SHA-256 only.
/// </summary>
public sealed class OAuthClient
{
    /// <summary>The agent id, which is also the <c>client_id</c>.</summary>
    public required string ClientId { get; init; }

    public required string DeveloperId { get; init; }

    /// <summary><c>none</c>, <c>client_secret_basic</c> or <c>client_secret_post</c>.</summary>
    public required string TokenEndpointAuthMethod { get; init; }

    public string? SecretHash { get; init; }

    public required string RegistrationTokenHash { get; init; }

    public DateTime RegistrationTokenExpiresAt { get; init; }

    /// <summary><c>authorization_code</c>, and <c>refresh_token</c> when the client registered for it.</summary>
    public List<string> GrantTypes { get; init; } = [];

    public string? ClientUri { get; init; }

    public string? LogoUri { get; init; }

    /// <summary>The scopes the client asked for at registration (space-separated, informational).</summary>
    public string? Scope { get; init; }

    public string? SoftwareId { get; init; }

    public string? SoftwareVersion { get; init; }

    /// <summary><c>native</c> or <c>web</c> (RFC 7591 via OpenID Dynamic Registration).</summary>
    public string? ApplicationType { get; init; }

    /// <summary>How the client registered: the initial access token's id, or <c>open</c>.</summary>
    public required string RegisteredWith { get; init; }

    public DateTime CreatedAt { get; init; }

    public bool IsPublic => TokenEndpointAuthMethod == OAuthClientAuth.None;
}

/// <summary>Client authentication methods at the token endpoint (RFC 7591 §2).</summary>
public static class OAuthClientAuth
{
    public const string None = "none";
    public const string Basic = "client_secret_basic";
    public const string Post = "client_secret_post";

    public static readonly IReadOnlyList<string> All = [None, Basic, Post];
}
