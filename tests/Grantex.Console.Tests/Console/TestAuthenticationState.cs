using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Grantex.Console.Tests.Console;

/// <summary>The signed-in person of a service test (what the circuit's authentication state would carry).</summary>
internal sealed class TestAuthenticationState : AuthenticationStateProvider
{
    private ClaimsPrincipal _user = new(new ClaimsIdentity());

    public void SignIn(IEnumerable<Claim> claims) => _user = new ClaimsPrincipal(new ClaimsIdentity(claims, "Identity.Application"));

    public void SignOut() => _user = new ClaimsPrincipal(new ClaimsIdentity());

    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(_user));
}
