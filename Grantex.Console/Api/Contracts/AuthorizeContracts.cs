using System.Text.Json.Serialization;
using Grantex.Core.Scopes;

namespace Grantex.Console.Api.Contracts;

public sealed record AuthorizeRequest(
    string? AgentId, string? PrincipalId, List<string?>? Scopes, string? RedirectUri, string? State, string? ExpiresIn,
    string? Audience, string? CodeChallenge, string? CodeChallengeMethod,
    [property: JsonPropertyName("code_challenge")] string? CodeChallengeAlias = null,
    [property: JsonPropertyName("code_challenge_method")] string? CodeChallengeMethodAlias = null);

public sealed record AuthorizeResponse(
    string AuthRequestId, string ConsentUrl, DateTime ExpiresAt, bool? Sandbox, string? Code, bool? PolicyEnforced = null, string? Effect = null);

public sealed record SandboxDecisionResponse(string RequestId, string Status, string? Code);

public sealed record ScopeDescriptionResponse(string Scope, string Description, string Category, string Risk, bool Described)
{
    public static ScopeDescriptionResponse From(ScopeDescription d) =>
        new(d.Scope, d.Text, d.Category, d.Risk.ToString().ToLowerInvariant(), d.Known);
}

public sealed record ConsentResponse(
    string Id,
    string AgentName,
    string AgentDid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AgentDescription,
    string DeveloperName,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> ScopeDescriptions,
    IReadOnlyList<ScopeDescriptionResponse> ScopeDetails,
    DateTime ExpiresAt,
    DateTime GrantExpiresAt,
    string Status,
    bool FidoRequired,
    string? Audience,
    string? RedirectUri);

public sealed record ApproveResponse(string Code, string? RedirectUri, string? State);

public sealed record DenyResponse(string? RedirectUri, string? State);
