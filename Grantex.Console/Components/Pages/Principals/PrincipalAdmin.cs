using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Common;
using Grantex.Core.Passkeys;
using Grantex.Core.Principals;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Pages.Principals;

/// <summary>
/// The console's principal directory, permission-checked on the server (<see cref="OperatorAccess"/>): every role reads
/// (principals, their passkeys and enrolment links); revoking a principal's grants goes through
/// <see cref="RevocationFlow"/>, and issuing an enrolment link needs Manage.
/// </summary>
public sealed class PrincipalAdmin(
    OperatorAccess access, PrincipalDirectory directory, DeveloperNames developers, PasskeyService passkeys, PasskeyEnrolmentLinks links,
    IOptions<GrantexOptions> options, TimeProvider time)
{
    public const int PageSize = 25;

    public async Task<Result<PrincipalDirectoryPage>> ListAsync(string developerId, string? search, int page, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list principals", developerId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var names = await developers.GetAsync(cancellationToken);
        if (!developerId.StartsWith(Ids.Developer, StringComparison.Ordinal) || !names.ContainsKey(developerId))
        {
            return GxError.BadRequest("Choose the developer whose principals to show.");
        }

        return await directory.DirectoryAsync(developerId, search, Math.Max(0, page - 1) * PageSize, PageSize, time.UtcNowMillis(), cancellationToken);
    }

    /// <summary>A principal's passkeys (with how each was enrolled) and their latest enrolment links.</summary>
    public async Task<Result<PrincipalPasskeys>> PasskeysAsync(string developerId, string principalId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list a principal's passkeys", developerId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        return new PrincipalPasskeys(
            await passkeys.ListAsync(developerId, principalId, cancellationToken),
            await links.ListAsync(developerId, principalId, 5, cancellationToken),
            time.UtcNowMillis());
    }

    /// <summary>Issues a one-time enrolment link (Manage); the URL, with its secret in the fragment, exists only in the answer.</summary>
    public async Task<Result<IssuedLink>> IssueEnrolmentLinkAsync(string developerId, string principalId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "issue passkey enrolment links", $"{developerId} {principalId}", cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var issued = await links.IssueAsync(developerId, principalId, allowed.Value.Actor, cancellationToken);
        return issued.IsSuccess
            ? new IssuedLink($"{options.Value.Issuer}/enrol#t={issued.Value.Token}", issued.Value.Link.ExpiresAt)
            : issued.Error;
    }
}
