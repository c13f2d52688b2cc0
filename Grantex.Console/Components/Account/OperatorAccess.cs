using Grantex.Core.Audit;
using Grantex.Core.Common;
using Microsoft.AspNetCore.Components.Authorization;

namespace Grantex.Console.Components.Account;

/// <summary>
/// The server-side gate of every console action. A page may hide a button, but the Admin services call
/// <see cref="RequireAsync"/> first, whatever the page showed: it re-reads the signed-in person from the database
/// (account still there, not locked out, session not invalidated by a role or password change) and checks the
/// permission against their roles as they are now. A refusal changes nothing and is written to the console's audit
/// chain with the person and the action.
/// </summary>
public sealed class OperatorAccess(AuthenticationStateProvider authentication, OperatorLookup lookup, AuditService audit)
{
    /// <summary>The signed-in person with their current roles, or null when signed out or no longer valid.</summary>
    public async Task<ConsoleOperator?> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return await lookup.ResolveAsync(state.User, cancellationToken);
    }

    /// <summary>The current operator if they hold <paramref name="permission"/>; otherwise a refusal (audited).</summary>
    /// <param name="action">What the person tried, as a phrase that follows "may not": "revoke grants".</param>
    public async Task<Result<ConsoleOperator>> RequireAsync(ConsolePermission permission, string action, string? target = null, CancellationToken cancellationToken = default)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var user = await lookup.ResolveAsync(state.User, cancellationToken);
        if (user is null)
        {
            await RecordRefusalAsync(state.User.Identity?.Name ?? "anonymous", action, target, permission, "not signed in", cancellationToken);
            return new GxError(GxErrorKind.Unauthorized, ErrorCodes.Unauthorized, "Your session has ended. Sign in again.");
        }

        if (!user.Can(permission))
        {
            await RecordRefusalAsync(user.UserName, action, target, permission, "role " + user.RoleName, cancellationToken);
            var needed = string.Join(" or ", ConsolePolicies.RolesFor(permission).Select(ConsoleRoles.DisplayName));
            return GxError.Forbidden(ErrorCodes.Forbidden, $"Your role ({user.RoleName}) may not {action}. That needs: {needed}.");
        }

        return user;
    }

    /// <summary>Records that the signed-in person reached a console page their role does not allow (<see cref="ConsoleAccessDenial"/>).</summary>
    public async Task RecordPageRefusedAsync(string page, CancellationToken cancellationToken = default)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        await ConsoleAccessDenial.RecordAsync(audit, lookup, state.User, page, cancellationToken);
    }

    /// <summary>Appends an operator action that belongs to no developer (accounts, keys) to the console chain.</summary>
    public Task<AuditEntry> AuditAsync(ConsoleOperator user, AuditAction action, AuditMetadata metadata, CancellationToken cancellationToken = default) =>
        audit.AppendConsoleAsync(action, metadata, user.Actor, cancellationToken);

    private async Task RecordRefusalAsync(string user, string action, string? target, ConsolePermission permission, string reason, CancellationToken cancellationToken)
    {
        var metadata = AuditMetadata
            .With("action", action)
            .And("needs", permission.ToString().ToLowerInvariant())
            .And("reason", reason)
            .AndBounded("target", target, 256);
        await audit.AppendConsoleAsync(AuditActions.ConsoleActionRefused, metadata, "console:" + user, cancellationToken);
    }
}
