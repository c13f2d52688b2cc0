using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Grantex.Console.Components.Account;

/// <summary>
/// Re-checks an open console circuit's person every minute: a deleted or locked account, a role change or a new
/// password (all change the security stamp) or a lost console role signs the circuit out. Every action is also
/// checked against the database when it runs (<see cref="OperatorAccess"/>), so this only keeps pages honest.
/// </summary>
public sealed class OperatorRevalidation(ILoggerFactory loggerFactory, OperatorLookup lookup)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var person = await lookup.ResolveAsync(authenticationState.User, cancellationToken);
        return person is not null && person.Can(ConsolePermission.Read);
    }
}
