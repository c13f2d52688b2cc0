using System.Net;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Users;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Console;

/// <summary>
/// Console sessions end on the server: an attacker who copied a <c>gx_console</c> cookie loses it at the next request
/// once its owner signs out or changes the password, or an administrator changes the role or locks the account.
/// </summary>
public sealed class SessionEndTests : IClassFixture<GrantexApp>
{
    private const string Password = "a long enough password";
    private readonly GrantexApp _factory;

    public SessionEndTests(GrantexApp factory)
    {
        _factory = factory;
    }

    [Fact]
    public async Task a_copied_cookie_stops_working_once_its_owner_signs_out()
    {
        await CreateUserAsync("olive", ConsoleRoles.Viewer);
        var (owner, stolen) = await SignInAsync("olive");
        Assert.Equal(HttpStatusCode.OK, (await Replay(stolen, "/grants")).StatusCode);

        var token = await ConsoleForms.AntiforgeryTokenAsync(owner, ConsolePaths.Security);
        var logout = await owner.PostAsync(ConsolePaths.Logout, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = "/",
        }));

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/account/login?signedOut=1", ConsoleForms.PathOf(logout.Headers.Location));
        await AssertRefusedAsync(stolen);
    }

    [Fact]
    public async Task a_copied_cookie_stops_working_when_its_owner_changes_the_password_while_the_owner_stays_signed_in()
    {
        await CreateUserAsync("pia", ConsoleRoles.Viewer);
        var (owner, stolen) = await SignInAsync("pia");
        Assert.Equal(HttpStatusCode.OK, (await Replay(stolen, "/grants")).StatusCode);

        var token = await ConsoleForms.AntiforgeryTokenAsync(owner, ConsolePaths.Security);
        var change = await owner.PostAsync(ConsolePaths.Security, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "password",
            ["__RequestVerificationToken"] = token,
            ["PasswordInput.Current"] = Password,
            ["PasswordInput.New"] = "another long enough password",
            ["PasswordInput.Confirm"] = "another long enough password",
        }));

        var html = await change.Content.ReadAsStringAsync();
        Assert.Contains("Password saved.", html, StringComparison.Ordinal);
        await AssertRefusedAsync(stolen);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/grants")).StatusCode);
    }

    [Fact]
    public async Task a_copied_cookie_stops_working_when_an_administrator_changes_the_role()
    {
        var admin = await CreateUserAsync("rhea", ConsoleRoles.Administrator);
        var target = await CreateUserAsync("sam", ConsoleRoles.Viewer);
        var (_, stolen) = await SignInAsync("sam");
        Assert.Equal(HttpStatusCode.OK, (await Replay(stolen, "/grants")).StatusCode);

        var changed = await AsAdministratorAsync(admin, users => users.SetRoleAsync(target, ConsoleRoles.ComplianceOfficer));

        Assert.True(changed.IsSuccess);
        await AssertRefusedAsync(stolen);
    }

    [Fact]
    public async Task a_copied_cookie_stops_working_when_an_administrator_locks_the_account()
    {
        var admin = await CreateUserAsync("tess", ConsoleRoles.Administrator);
        var target = await CreateUserAsync("uma", ConsoleRoles.ComplianceOfficer);
        var (_, stolen) = await SignInAsync("uma");
        Assert.Equal(HttpStatusCode.OK, (await Replay(stolen, "/grants")).StatusCode);

        var locked = await AsAdministratorAsync(admin, users => users.LockAsync(target));

        Assert.True(locked.IsSuccess);
        await AssertRefusedAsync(stolen);
    }

    /// <summary>The copied cookie leads to sign-in on a page, cannot reach the circuit, and is deleted by the answer.</summary>
    private async Task AssertRefusedAsync(string stolen)
    {
        var page = await Replay(stolen, "/grants");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", ConsoleForms.PathOf(page.Headers.Location), StringComparison.Ordinal);
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("gx_console=;", StringComparison.Ordinal));
        var security = await Replay(stolen, ConsolePaths.Security);
        Assert.Equal(HttpStatusCode.Redirect, security.StatusCode);
    }

    /// <summary>Signs in through the form; returns the owner's browser and a copy of its console cookie.</summary>
    private async Task<(HttpClient Owner, string Cookie)> SignInAsync(string userName)
    {
        var owner = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signIn = await ConsoleForms.SignInWithPasswordAsync(owner, userName, Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gx_console=", StringComparison.Ordinal));
        return (owner, cookie[..cookie.IndexOf(';', StringComparison.Ordinal)]);
    }

    /// <summary>Another machine presenting the copied cookie.</summary>
    private async Task<HttpResponseMessage> Replay(string cookie, string path)
    {
        var attacker = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await attacker.SendAsync(request);
    }

    /// <summary>Calls the Users screen's service as the administrator would from an open circuit.</summary>
    private async Task<T> AsAdministratorAsync<T>(string adminId, Func<UserAdmin, Task<T>> action)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GrantexUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<GrantexUser>>().CreateUserPrincipalAsync((await users.FindByIdAsync(adminId))!);
        var state = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        state.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return await action(scope.ServiceProvider.GetRequiredService<UserAdmin>());
    }

    private async Task<string> CreateUserAsync(string userName, string role)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var (user, error) = await scope.ServiceProvider.GetRequiredService<ConsoleAccounts>().CreateAsync(userName, null, Password, role);
        Assert.True(user is not null, error);
        return user.Id;
    }
}
