namespace Grantex.Core.Consent;

/// <summary>
/// The body of <c>POST /v1/authorize</c> (wire format §3.4). <see cref="CodeChallengeAlias"/> and
/// <see cref="CodeChallengeMethodAlias"/> carry the OAuth spellings <c>code_challenge</c> and
/// <c>code_challenge_method</c>, accepted so that an OAuth-minded client's PKCE is never silently dropped.
/// </summary>
public sealed record AuthorizeInput(
    string? AgentId,
    string? PrincipalId,
    IReadOnlyList<string?>? Scopes,
    string? RedirectUri,
    string? State,
    string? ExpiresIn,
    string? Audience,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? CodeChallengeAlias = null,
    string? CodeChallengeMethodAlias = null)
{
    /// <summary>
    /// Set by the OAuth front only: a loopback redirect URI may differ from the registered one in its port (RFC 8252
    /// §7.3). The Grantex API keeps the exact match.
    /// </summary>
    public bool LoopbackAnyPort { get; init; }
}
