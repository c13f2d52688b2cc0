using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Common;
using Grantex.Core.Policies;

namespace Grantex.Console.Components.Pages.Policies;

/// <summary>
/// The console's policy actions, each permission-checked on the server (<see cref="OperatorAccess"/>): every role
/// reads and runs the dry run; only administrators create, edit and delete. Refusals are audited by the access check.
/// </summary>
public sealed class PolicyAdmin(OperatorAccess access, PolicyService policies, DeveloperNames developers)
{
    public async Task<Result<IReadOnlyList<Policy>>> ListAsync(string developerId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list policies", developerId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var known = await KnownDeveloperAsync(developerId, cancellationToken);
        return known is null ? Result<IReadOnlyList<Policy>>.Ok(await policies.ListAsync(developerId, cancellationToken)) : known;
    }

    public async Task<Result<Policy>> CreateAsync(string developerId, PolicyInput input, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "create policies", developerId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var known = await KnownDeveloperAsync(developerId, cancellationToken);
        return known ?? await policies.CreateAsync(developerId, input, allowed.Value.Actor, cancellationToken);
    }

    /// <summary>Changes a policy; refused with a conflict if someone else changed it since <see cref="PolicyInput.ExpectedVersion"/>.</summary>
    public async Task<Result<Policy>> UpdateAsync(string developerId, string policyId, PolicyInput input, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "edit policies", policyId, cancellationToken);
        return allowed.IsSuccess ? await policies.UpdateAsync(developerId, policyId, input, allowed.Value.Actor, cancellationToken) : allowed.Error;
    }

    public async Task<Result<Policy>> DeleteAsync(string developerId, string policyId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "delete policies", policyId, cancellationToken);
        return allowed.IsSuccess ? await policies.DeleteAsync(developerId, policyId, allowed.Value.Actor, cancellationToken) : allowed.Error;
    }

    /// <summary>Which policy would decide a request (no side effects); every role may ask.</summary>
    public async Task<Result<PolicyDecision>> DryRunAsync(
        string developerId, string? agentId, string? principalId, IReadOnlyList<string?> scopes, DateTime? at, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "evaluate policies", developerId, cancellationToken);
        return allowed.IsSuccess ? await policies.DryRunAsync(developerId, agentId, principalId, scopes, at, cancellationToken) : allowed.Error;
    }

    private async Task<GxError?> KnownDeveloperAsync(string developerId, CancellationToken cancellationToken)
    {
        var names = await developers.GetAsync(cancellationToken);
        return developerId.StartsWith(Ids.Developer, StringComparison.Ordinal) && names.ContainsKey(developerId)
            ? null
            : GxError.BadRequest("Choose the developer whose policies to show.");
    }
}
