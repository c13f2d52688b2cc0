namespace Grantex.Core.Consent;

/// <summary>The body of <c>POST /v1/authorize</c> (wire format §3.4).</summary>
public sealed record AuthorizeInput(
    string? AgentId,
    string? PrincipalId,
    IReadOnlyList<string?>? Scopes,
    string? RedirectUri,
    string? State,
    string? ExpiresIn,
    string? Audience,
    string? CodeChallenge,
    string? CodeChallengeMethod);
