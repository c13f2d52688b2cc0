namespace Grantex.Core.Sso;

/// <summary>
/// The body of <c>POST/PATCH /v1/sso/connections</c> and the console's connection form; null means "not given"
/// (on PATCH: unchanged). <see cref="ClientSecret"/> is write-only.
/// </summary>
public sealed record SsoConnectionInput
{
    public string? Name { get; init; }

    public string? Protocol { get; init; }

    public string? IssuerUrl { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public IReadOnlyList<string?>? Domains { get; init; }

    public string? PrincipalClaim { get; init; }

    public string? Status { get; init; }

    /// <summary>The legacy config's redirectUri (<c>/v1/sso/config</c> only).</summary>
    public string? RedirectUri { get; init; }
}
