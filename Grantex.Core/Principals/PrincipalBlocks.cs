using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Principals;

/// <summary>
/// The check that keeps a deactivated principal cut off: authorize, consent approval and code exchange ask it before
/// they grant anything. A principal is blocked while a SCIM user with that user name (compared without case, the
/// uniqueness rule) is inactive or deleted. Principals the directory does not know are not blocked.
/// </summary>
public static class PrincipalBlocks
{
    // Compiled once: this check runs on every authorize and exchange (on the writer), where EF's per-query expression
    // work cost more than the indexed lookup itself.
    private static readonly PerEngine<Func<GrantexDbContext, string, string, Task<bool>>> Blocked = new(() => EF.CompileAsyncQuery(
        (GrantexDbContext db, string developerId, string normalized) =>
            db.ScimUsers.Any(u => u.DeveloperId == developerId && u.NormalizedUserName == normalized && (!u.Active || u.DeletedAt != null))));

    public static Task<bool> IsBlockedAsync(GrantexDbContext db, string developerId, string principalId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Blocked.For(db)(db, developerId, ScimUser.Normalize(principalId));
    }

    /// <summary>The 403 every refusal carries (the message tells the developer what to do).</summary>
    public static GxError Refusal(string principalId) => GxError.Forbidden(ErrorCodes.PrincipalDeactivated,
        $"Principal '{principalId}' is deactivated in your identity provider's directory (SCIM); reactivate the user to authorize again.");

    /// <summary>The audit entry of a refusal: which step refused (authorize, consent, exchange) and for which agent.</summary>
    public static AuditDraft Audit(string developerId, string agentId, string principalId, string step, string actor, string? authRequestId = null) =>
        AuditDraft.For(new AuditSubject(developerId, agentId, PrincipalId: principalId), AuditActions.PrincipalBlocked, actor,
            AuditMetadata.With("step", step).AndIf(authRequestId is not null, "authRequestId", authRequestId).And("reason", ErrorCodes.PrincipalDeactivated));
}
