using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Console.Components.Account;

/// <summary>
/// Whether any console account exists yet. Until one does, the console shows only the first-administrator page, and
/// only to requests from the server itself. Once an account exists the answer is cached (the last administrator can
/// never be deleted). <see cref="Gate"/> serialises first-administrator creation, so two tabs cannot both create one.
/// </summary>
public sealed class FirstRunState(IDbContextFactory<GrantexDbContext> factory)
{
    private volatile bool _hasUsers;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public async Task<bool> HasUsersAsync(CancellationToken cancellationToken = default)
    {
        if (_hasUsers)
        {
            return true;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        _hasUsers = await db.Users.AnyAsync(cancellationToken);
        return _hasUsers;
    }
}
