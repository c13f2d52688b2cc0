using System.Text.Json.Serialization;
using Grantex.Core.Policies;

namespace Grantex.Console.Api.Contracts;

/// <summary>The reference's policy object (wire format §7.1), plus <c>timeZone</c> (null: the window is UTC).</summary>
public sealed record PolicyResponse(
    string Id,
    string Name,
    string Effect,
    int Priority,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AgentId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PrincipalId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<string>? Scopes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TimeOfDayStart,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TimeOfDayEnd,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TimeZone,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static PolicyResponse From(Policy p) => new(
        p.Id, p.Name, PolicyService.EffectName(p.Effect), p.Priority, p.AgentId, p.PrincipalId, p.Scopes, p.TimeOfDayStart, p.TimeOfDayEnd, p.TimeZone,
        p.CreatedAt, p.UpdatedAt);
}

public sealed record PolicyListResponse(IReadOnlyList<PolicyResponse> Policies, int Total);

public sealed record PolicyEvaluateRequest(string? AgentId, string? PrincipalId, List<string?>? Scopes, string? Time);

/// <summary>
/// The dry run's answer: <c>decision</c> is the deciding effect (<c>deny</c>, <c>allow</c>) or <c>none</c>;
/// <c>outcome</c> is what <c>POST /v1/authorize</c> would do (<c>denied</c> with 403 POLICY_DENIED, <c>approved</c>
/// with a code at once, or <c>consent</c>); <c>reason</c> says why.
/// </summary>
public sealed record PolicyEvaluateResponse(
    string Decision,
    string Outcome,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] PolicyResponse? Policy,
    string Reason,
    DateTime EvaluatedAt,
    int PoliciesEvaluated);
