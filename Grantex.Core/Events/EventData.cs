using System.Text.Json.Serialization;

namespace Grantex.Core.Events;

// The data of each event type (reference-wire-format §7.2 where the reference defines it). Property order is wire order.

/// <summary><c>grant.created</c>: from a code exchange, or a delegation (which adds depth and parent).</summary>
public sealed record GrantCreatedData(
    string GrantId,
    string AgentId,
    string PrincipalId,
    IReadOnlyList<string> Scopes,
    string ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DelegationDepth = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ParentGrantId = null);

/// <summary><c>token.issued</c>: exchange, refresh or delegation.</summary>
public sealed record TokenIssuedData(string TokenId, string GrantId, string AgentId, string PrincipalId, IReadOnlyList<string> Scopes, string ExpiresAt);

/// <summary>
/// <c>grant.revoked</c>: one event per revoked tree, named by its root as in the reference (<c>grantId</c>,
/// <c>cascade</c>), plus every grant id the revocation cut off (root first) and why.
/// </summary>
public sealed record GrantRevokedData(string GrantId, bool Cascade, IReadOnlyList<string> RevokedGrantIds, string Reason);

/// <summary><c>token.revoked</c>: one token revoked through <c>POST /v1/tokens/revoke</c>.</summary>
public sealed record TokenRevokedData(string TokenId, string GrantId, string AgentId, string PrincipalId);

/// <summary><c>consent.approved</c> / <c>consent.denied</c>: the person's decision on an authorization request.</summary>
public sealed record ConsentDecisionData(
    string AuthRequestId,
    string AgentId,
    string PrincipalId,
    IReadOnlyList<string> Scopes,
    bool Presence,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PolicyId = null);

/// <summary><c>policy.denied</c>: a deny rule (or no allow) refused an authorize or a delegation.</summary>
public sealed record PolicyDeniedData(
    string PolicyId,
    string PolicyName,
    string Operation,
    string AgentId,
    string PrincipalId,
    IReadOnlyList<string> Scopes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ParentGrantId = null);
