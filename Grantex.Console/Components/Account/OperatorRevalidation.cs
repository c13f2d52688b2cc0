using System.Security.Claims;
using Grantex.Core.Common;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Account;

/// <summary>
/// Re-checks an open console circuit's person: at once when an account changes (<see cref="ChangeKind.UsersChanged"/>:
/// sign-out, new password or passkey, lock, role change, deletion), and every 30 seconds for anything else. A deleted
/// or locked account, a changed security stamp or a lost console role signs the circuit out. Every action is also
/// checked against the database when it runs (<see cref="OperatorAccess"/>), so this only keeps pages honest.
/// </summary>
public sealed class OperatorRevalidation : RevalidatingServerAuthenticationStateProvider
{
    private readonly OperatorLookup _lookup;
    private readonly ChangeNotifier _changes;
    private readonly string _userIdClaim;
    private readonly CancellationTokenSource _disposed = new();

    public OperatorRevalidation(ILoggerFactory loggerFactory, OperatorLookup lookup, ChangeNotifier changes, IOptions<IdentityOptions> identity)
        : base(loggerFactory)
    {
        _lookup = lookup;
        _changes = changes;
        _userIdClaim = identity.Value.ClaimsIdentity.UserIdClaimType;
        _changes.Changed += OnChanged;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var person = await _lookup.ResolveAsync(authenticationState.User, cancellationToken);
        return person is not null && person.Can(ConsolePermission.Read);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _changes.Changed -= OnChanged;
            _disposed.Cancel();
            _disposed.Dispose();
        }

        base.Dispose(disposing);
    }

    // Runs on the writer's or the request's thread: hand the check off and return at once.
    private void OnChanged(ChangeNotice notice)
    {
        if (notice.Kind == ChangeKind.UsersChanged)
        {
            _ = RecheckAsync(notice);
        }
    }

    private async Task RecheckAsync(ChangeNotice notice)
    {
        try
        {
            var state = await GetAuthenticationStateAsync();
            var userId = state.User.FindFirstValue(_userIdClaim);
            if (userId is null || !notice.Ids.Contains(userId, StringComparer.Ordinal))
            {
                return;
            }

            if (!await ValidateAuthenticationStateAsync(state, _disposed.Token))
            {
                NotifyAuthenticationStateChanged(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The circuit closed meanwhile, or has no authentication state yet: nothing to sign out.
        }
    }
}
