using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Common;
using Grantex.Core.Principals;

namespace Grantex.Console.Components.Pages.Principals;

/// <summary>
/// The console's principal directory, permission-checked on the server (<see cref="OperatorAccess"/>): every role reads;
/// revoking a principal's grants goes through <see cref="RevocationFlow"/>, which requires Manage.
/// </summary>
public sealed class PrincipalAdmin(OperatorAccess access, PrincipalDirectory directory, DeveloperNames developers, TimeProvider time)
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
}
