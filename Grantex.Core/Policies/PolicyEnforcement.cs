using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Events;
using Grantex.Core.Persistence;

namespace Grantex.Core.Policies;

/// <summary>
/// Policies applied to a real request: <c>POST /v1/authorize</c> and every delegation. A deny refuses with
/// 403 <c>POLICY_DENIED</c> naming the policy, and appends <c>policy.denied</c> naming the rule; otherwise the decision
/// (an allow, or no match) goes back to the caller, which approves at once or asks for consent.
/// </summary>
public sealed class PolicyEnforcement(WriteQueue writes, TimeProvider time)
{
    /// <summary>
    /// For authorize: evaluates now over <paramref name="policies"/> (the caller gets them from <see cref="PolicySetCache"/>
    /// through the context it already has open); a deny is audited in a write of its own.
    /// </summary>
    public async Task<Result<PolicyDecision>> EnforceAsync(
        ApiKeyCaller caller, CompiledPolicySet policies, string agentId, string principalId, IReadOnlyList<string> scopes, CancellationToken cancellationToken = default)
    {
        var request = new PolicyRequest(agentId, principalId, scopes, time.UtcNowMillis());
        var decision = policies.Evaluate(request);
        if (!decision.IsDenied)
        {
            return decision;
        }

        var draft = DenialAudit(caller, request, decision, "authorize", null);
        var denied = DenialEvent(caller, request, decision, "authorize", null);
        await writes.AppendAsync(ctx =>
        {
            ctx.Emit(denied);
            return ctx.AppendAuditAsync(draft);
        }, cancellationToken);
        return Denial(decision);
    }

    /// <summary>For a delegation, inside its write: evaluates at the write's time; a deny is audited in the same transaction.</summary>
    public async Task<Result<PolicyDecision>> EnforceAsync(WriteContext ctx, ApiKeyCaller caller, string agentId, string principalId, IReadOnlyList<string> scopes, string parentGrantId, CancellationToken cancellationToken = default)
    {
        var policies = await PolicyService.LoadAsync(ctx.Db, caller.Developer.Id, cancellationToken);
        var request = new PolicyRequest(agentId, principalId, scopes, ctx.Now);
        var decision = PolicyEvaluator.Evaluate(policies, request);
        if (!decision.IsDenied)
        {
            return decision;
        }

        await ctx.AppendAuditAsync(DenialAudit(caller, request, decision, "delegate", parentGrantId));
        ctx.Emit(DenialEvent(caller, request, decision, "delegate", parentGrantId));
        return Denial(decision);
    }

    private static GxError Denial(PolicyDecision decision) => GxError.Forbidden(ErrorCodes.PolicyDenied, decision.DenialMessage);

    private static EventDraft DenialEvent(ApiKeyCaller caller, PolicyRequest request, PolicyDecision decision, string operation, string? parentGrantId) =>
        new(caller.Developer.Id, EventTypes.PolicyDenied, new PolicyDeniedData(
            decision.Policy!.Id, decision.Policy.Name, operation, request.AgentId, request.PrincipalId, request.Scopes, parentGrantId));

    private static AuditDraft DenialAudit(ApiKeyCaller caller, PolicyRequest request, PolicyDecision decision, string operation, string? parentGrantId) =>
        AuditDraft.For(new AuditSubject(caller.Developer.Id, request.AgentId, "", request.PrincipalId), AuditActions.PolicyDenied, caller.Actor, AuditMetadata
            .With("operation", operation)
            .And("policyId", decision.Policy!.Id)
            .And("policyName", decision.Policy.Name)
            .And("priority", decision.Policy.Priority)
            .And("scopes", request.Scopes)
            .AndBounded("rule", decision.Reason, 1000)
            .AndIf(parentGrantId is not null, "parentGrantId", parentGrantId));
}
