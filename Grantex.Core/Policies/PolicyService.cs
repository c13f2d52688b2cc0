using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Policies;

/// <summary>
/// A developer's policies (reference wire format §7.1), shared by the REST API and the console: create, list, read,
/// change, delete — every change audited with the policy before and after — and the evaluation used by authorize,
/// delegation and the dry run (<see cref="PolicyEnforcement"/>).
/// </summary>
public sealed class PolicyService(IDbContextFactory<GrantexDbContext> factory, WriteQueue writes, TimeProvider time, ChangeNotifier changes)
{
    /// <summary>The machine code of the per-developer cap (the reference's quota code; the API answers 402).</summary>
    public const string LimitCode = "PLAN_LIMIT_EXCEEDED";

    public async Task<Result<Policy>> CreateAsync(string developerId, PolicyInput input, string actor, CancellationToken cancellationToken = default)
    {
        if (input.Name is null || input.Effect is null)
        {
            return GxError.BadRequest("name and effect (allow|deny) are required.");
        }

        var fields = Check(input);
        if (!fields.IsSuccess)
        {
            return fields.Error;
        }

        var (effect, scopes) = fields.Value;
        var window = PolicyRules.Window(input.TimeOfDayStart.Value, input.TimeOfDayEnd.Value, input.TimeZone.Value);
        if (window is not null)
        {
            return window;
        }

        return await writes.ExecuteAsync<Result<Policy>>(async ctx =>
        {
            if (await ctx.Db.Policies.CountAsync(p => p.DeveloperId == developerId, cancellationToken) >= PolicyRules.MaxPerDeveloper)
            {
                return new GxError(GxErrorKind.LimitExceeded, LimitCode,
                    $"A developer may have at most {PolicyRules.MaxPerDeveloper} policies. Delete or merge some first.");
            }

            var agentError = await CheckAgentAsync(ctx.Db, developerId, input.AgentId.Value, cancellationToken);
            if (agentError is not null)
            {
                return agentError;
            }

            var policy = new Policy
            {
                Id = Ids.New(Ids.Policy),
                DeveloperId = developerId,
                Name = input.Name.Trim(),
                Effect = effect!.Value,
                Priority = input.Priority ?? 0,
                AgentId = input.AgentId.Value,
                PrincipalId = input.PrincipalId.Value,
                Scopes = scopes.IsSet ? scopes.Value : null,
                TimeOfDayStart = input.TimeOfDayStart.Value,
                TimeOfDayEnd = input.TimeOfDayEnd.Value,
                TimeZone = input.TimeZone.Value,
                CreatedAt = ctx.Now,
                UpdatedAt = ctx.Now,
            };
            ctx.Db.Policies.Add(policy);
            await ctx.AppendAuditAsync(ChangeAudit(developerId, AuditActions.PolicyCreated, actor, null, policy));
            ctx.AfterCommit(() => changes.Publish(ChangeKind.PolicyChanged, developerId, policy.Id));
            return policy;
        }, cancellationToken);
    }

    /// <summary>Every policy of the developer in evaluation order (priority descending, oldest first).</summary>
    public async Task<IReadOnlyList<Policy>> ListAsync(string developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await LoadAsync(db, developerId, cancellationToken);
    }

    public async Task<Policy?> GetAsync(string developerId, string policyId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Policies.AsNoTracking().FirstOrDefaultAsync(p => p.Id == policyId && p.DeveloperId == developerId, cancellationToken);
    }

    public async Task<Result<Policy>> UpdateAsync(string developerId, string policyId, PolicyInput input, string actor, CancellationToken cancellationToken = default)
    {
        var fields = Check(input);
        if (!fields.IsSuccess)
        {
            return fields.Error;
        }

        var (effect, scopes) = fields.Value;
        return await writes.ExecuteAsync<Result<Policy>>(async ctx =>
        {
            var policy = await ctx.Db.Policies.FirstOrDefaultAsync(p => p.Id == policyId && p.DeveloperId == developerId, cancellationToken);
            if (policy is null)
            {
                return GxError.NotFound("Policy not found.");
            }

            if (input.ExpectedVersion is { } expected && expected != policy.Version)
            {
                return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict, "The policy was changed by someone else. Reload and try again.");
            }

            var start = input.TimeOfDayStart.Or(policy.TimeOfDayStart);
            var end = input.TimeOfDayEnd.Or(policy.TimeOfDayEnd);
            var zone = input.TimeZone.Or(policy.TimeZone);
            var window = PolicyRules.Window(start, end, zone);
            if (window is not null)
            {
                return window;
            }

            if (input.AgentId.IsSet)
            {
                var agentError = await CheckAgentAsync(ctx.Db, developerId, input.AgentId.Value, cancellationToken);
                if (agentError is not null)
                {
                    return agentError;
                }
            }

            var before = Snapshot(policy);
            policy.Name = input.Name?.Trim() ?? policy.Name;
            policy.Effect = effect ?? policy.Effect;
            policy.Priority = input.Priority ?? policy.Priority;
            policy.AgentId = input.AgentId.Or(policy.AgentId);
            policy.PrincipalId = input.PrincipalId.Or(policy.PrincipalId);
            policy.Scopes = scopes.IsSet ? scopes.Value : policy.Scopes;
            policy.TimeOfDayStart = start;
            policy.TimeOfDayEnd = end;
            policy.TimeZone = zone;
            policy.UpdatedAt = ctx.Now;
            policy.Version++;
            await ctx.AppendAuditAsync(ChangeAudit(developerId, AuditActions.PolicyUpdated, actor, before, policy));
            ctx.AfterCommit(() => changes.Publish(ChangeKind.PolicyChanged, developerId, policyId));
            return policy;
        }, cancellationToken);
    }

    public async Task<Result<Policy>> DeleteAsync(string developerId, string policyId, string actor, CancellationToken cancellationToken = default)
    {
        return await writes.ExecuteAsync<Result<Policy>>(async ctx =>
        {
            var policy = await ctx.Db.Policies.FirstOrDefaultAsync(p => p.Id == policyId && p.DeveloperId == developerId, cancellationToken);
            if (policy is null)
            {
                return GxError.NotFound("Policy not found.");
            }

            ctx.Db.Policies.Remove(policy);
            await ctx.AppendAuditAsync(ChangeAudit(developerId, AuditActions.PolicyDeleted, actor, Snapshot(policy), null));
            ctx.AfterCommit(() => changes.Publish(ChangeKind.PolicyChanged, developerId, policyId));
            return policy;
        }, cancellationToken);
    }

    /// <summary>
    /// The dry run behind <c>POST /v1/policies/evaluate</c>: the same input rules and agent check as authorize, then
    /// evaluation at <paramref name="at"/> (default now). Writes nothing.
    /// </summary>
    public async Task<Result<PolicyDecision>> DryRunAsync(
        string developerId, string? agentId, string? principalId, IReadOnlyList<string?>? scopes, DateTime? at, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(agentId) || string.IsNullOrEmpty(principalId) || scopes is null or { Count: 0 })
        {
            return GxError.BadRequest("agentId, principalId, and scopes are required.");
        }

        if (agentId.Length > 256 || !Validate.Text(principalId, 256))
        {
            return GxError.BadRequest("agentId and principalId must be 1 to 256 characters.");
        }

        var valid = Validate.Scopes(scopes, required: true);
        if (!valid.IsSuccess)
        {
            return valid.Error;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.Agents.AsNoTracking().AnyAsync(a => a.Id == agentId && a.DeveloperId == developerId && a.Status == AgentStatus.Active, cancellationToken))
        {
            return GxError.NotFound("Agent not found.");
        }

        var policies = await LoadAsync(db, developerId, cancellationToken);
        return PolicyEvaluator.Evaluate(policies, new PolicyRequest(agentId, principalId, valid.Value, TimeFormat.ToMillis(at ?? time.GetUtcNow().UtcDateTime)));
    }

    internal static async Task<List<Policy>> LoadAsync(GrantexDbContext db, string developerId, CancellationToken cancellationToken) =>
        await db.Policies.AsNoTracking()
            .Where(p => p.DeveloperId == developerId)
            .OrderByDescending(p => p.Priority).ThenBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);

    /// <summary>The policy as audit metadata: the wire format's field names.</summary>
    public static Dictionary<string, object?> Snapshot(Policy p) => new(StringComparer.Ordinal)
    {
        ["id"] = p.Id,
        ["name"] = p.Name,
        ["effect"] = EffectName(p.Effect),
        ["priority"] = p.Priority,
        ["agentId"] = p.AgentId,
        ["principalId"] = p.PrincipalId,
        ["scopes"] = p.Scopes,
        ["timeOfDayStart"] = p.TimeOfDayStart,
        ["timeOfDayEnd"] = p.TimeOfDayEnd,
        ["timeZone"] = p.TimeZone,
    };

    public static string EffectName(PolicyEffect effect) => effect == PolicyEffect.Deny ? "deny" : "allow";

    /// <summary>The field rules that need no stored state: name, effect, priority, principal, scopes.</summary>
    private static Result<(PolicyEffect? Effect, Settable<List<string>> Scopes)> Check(PolicyInput input)
    {
        if (input.Name is not null && PolicyRules.Name(input.Name) is { } nameError)
        {
            return nameError;
        }

        PolicyEffect? effect = null;
        if (input.Effect is not null)
        {
            var parsed = PolicyRules.Effect(input.Effect);
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }

            effect = parsed.Value;
        }

        if (input.Priority is { } priority && PolicyRules.Priority(priority) is { } priorityError)
        {
            return priorityError;
        }

        if (input.AgentId is { IsSet: true, Value: { } agentId } && (agentId.Length is 0 or > 256))
        {
            return GxError.BadRequest("agentId must be the id of one of your agents, or null to match any agent.");
        }

        if (input.PrincipalId.IsSet && PolicyRules.PrincipalId(input.PrincipalId.Value) is { } principalError)
        {
            return principalError;
        }

        if (!input.Scopes.IsSet)
        {
            return (effect, default(Settable<List<string>>));
        }

        var scopes = PolicyRules.Scopes(input.Scopes.Value);
        return scopes.IsSuccess ? (effect, Settable<List<string>>.To(scopes.Value)) : scopes.Error;
    }

    private static async Task<GxError?> CheckAgentAsync(GrantexDbContext db, string developerId, string? agentId, CancellationToken cancellationToken)
    {
        if (agentId is null)
        {
            return null;
        }

        var exists = await db.Agents.AsNoTracking().AnyAsync(a => a.Id == agentId && a.DeveloperId == developerId && a.Status != AgentStatus.Deleted, cancellationToken);
        return exists ? null : GxError.BadRequest($"agentId: there is no agent {agentId} among your agents.");
    }

    private static AuditDraft ChangeAudit(string developerId, AuditAction action, string actor, Dictionary<string, object?>? before, Policy? after) =>
        AuditDraft.For(new AuditSubject(developerId), action, actor, AuditMetadata
            .With("policyId", after?.Id ?? (string?)before?["id"])
            .And("before", before)
            .And("after", after is null ? null : Snapshot(after)));
}
