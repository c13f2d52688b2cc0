using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Console.Components.Account;
using Grantex.Core.Audit;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Console;

/// <summary>Console sign-in over HTTP: password with lockout, role required, sessions that never authenticate the API.</summary>
public sealed class ConsoleSignInTests : IClassFixture<GrantexApp>
{
    private const string Password = "a long enough password";
    private readonly GrantexApp _factory;

    public ConsoleSignInTests(GrantexApp factory)
    {
        _factory = factory;
    }

    [Fact]
    public async Task a_password_sign_in_opens_the_console_but_its_cookie_never_authenticates_the_api()
    {
        await CreateUserAsync("ada", ConsoleRoles.Administrator);
        var client = Client();

        var signIn = await ConsoleForms.SignInWithPasswordAsync(client, "ada", Password);
        var console = await client.GetAsync("/");
        var api = await client.GetAsync("/v1/agents");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", ConsoleForms.PathOf(signIn.Headers.Location));
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        var body = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("UNAUTHORIZED", body.GetProperty("code").GetString());
        Assert.True(body.TryGetProperty("requestId", out _));
    }

    [Fact]
    public async Task five_wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused()
    {
        await CreateUserAsync("bob", ConsoleRoles.Viewer);
        var client = Client();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await ConsoleForms.SignInWithPasswordAsync(client, "bob", "not the password");
            Assert.Contains(WebUtility.HtmlEncode(PasswordSignIn.FailedMessage), await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var right = await ConsoleForms.SignInWithPasswordAsync(client, "bob", Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(PasswordSignIn.FailedMessage), await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/grants")).StatusCode);
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GrantexUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByNameAsync("bob"))!));
        var failures = await _factory.Services.GetRequiredService<AuditService>()
            .ListAcrossAsync(AuditChains.Console, new AuditFilter(Action: "console.sign_in_failed"), null, 50);
        Assert.True(failures.Items.Count(e => e.Actor == "console:bob") >= 6);
    }

    [Fact]
    public async Task an_account_without_a_console_role_cannot_sign_in()
    {
        var id = await CreateUserAsync("nora", ConsoleRoles.Viewer);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<ConsoleAccounts>();
            await accounts.SetRoleAsync((await accounts.Users.FindByIdAsync(id))!, null);
        }

        var client = Client();
        var response = await ConsoleForms.SignInWithPasswordAsync(client, "nora", Password);

        Assert.Contains("Your account has no console role", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task console_pages_without_a_session_lead_to_sign_in_and_come_back()
    {
        await CreateUserAsync("eve", ConsoleRoles.Viewer);

        var response = await Client().GetAsync("/grants?status=active");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2Fgrants%3Fstatus%3Dactive", ConsoleForms.PathOf(response.Headers.Location));
    }

    [Fact]
    public async Task passkey_options_need_the_pages_antiforgery_token_and_a_new_passkey_needs_a_session()
    {
        await CreateUserAsync("fay", ConsoleRoles.Viewer);
        var client = Client();

        var withoutToken = await client.PostAsync("/account/passkey/request-options", new FormUrlEncodedContent([]));
        var token = await ConsoleForms.AntiforgeryTokenAsync(client, "/account/login");
        var withToken = await client.PostAsync("/account/passkey/request-options", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var creation = await client.PostAsync("/account/passkey/creation-options", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        var options = await withToken.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(options.GetProperty("challenge").GetString()!.Length >= 22);
        Assert.Equal(HttpStatusCode.Redirect, creation.StatusCode);
        Assert.Contains("/account/login", creation.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task once_an_account_exists_the_first_administrator_page_is_gone()
    {
        await CreateUserAsync("gus", ConsoleRoles.Viewer);

        var response = await Client().GetAsync("/account/setup");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", ConsoleForms.PathOf(response.Headers.Location));
    }

    private HttpClient Client() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<string> CreateUserAsync(string userName, string role)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var (user, error) = await scope.ServiceProvider.GetRequiredService<ConsoleAccounts>().CreateAsync(userName, null, Password, role);
        Assert.True(user is not null, error);
        return user.Id;
    }
}
