using System.Net;
using System.Text.RegularExpressions;
using Grantex.Console.Components.Account;
using Grantex.Core.Audit;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Console;

/// <summary>
/// An attacker probing the password form learns nothing about accounts: an unknown user name, a wrong password, an
/// account without a password and a locked account (with a wrong or even the right password) get the same status and
/// the same message, and none of them signs in. The audit log keeps the real reason.
/// </summary>
public sealed partial class SignInEnumerationTests : IClassFixture<GrantexApp>
{
    private const string Password = "a long enough password";
    private readonly GrantexApp _factory;

    public SignInEnumerationTests(GrantexApp factory)
    {
        _factory = factory;
    }

    [Fact]
    public async Task unknown_user_wrong_password_passkey_only_and_locked_accounts_all_get_the_same_answer()
    {
        await CreateUserAsync("wendy", Password);
        await CreateUserAsync("xena", null);
        var locked = await CreateUserAsync("yuri", Password);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<GrantexUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(locked))!, DateTimeOffset.UtcNow.AddMinutes(15));
        }

        var answers = new Dictionary<string, (HttpStatusCode Status, string Message, bool SignedIn)>
        {
            ["unknown user"] = await AttemptAsync("nobody-here", Password),
            ["wrong password"] = await AttemptAsync("wendy", "not the password"),
            ["no password"] = await AttemptAsync("xena", Password),
            ["locked, wrong password"] = await AttemptAsync("yuri", "not the password"),
            ["locked, right password"] = await AttemptAsync("yuri", Password),
        };

        foreach (var (attempt, answer) in answers)
        {
            Assert.True(answer.Status == HttpStatusCode.OK, attempt);
            Assert.True(answer.Message == PasswordSignIn.FailedMessage, $"{attempt}: {answer.Message}");
            Assert.False(answer.SignedIn, attempt);
        }

        var reasons = (await _factory.Services.GetRequiredService<AuditService>()
            .ListAcrossAsync(AuditChains.Console, new AuditFilter(Action: "console.sign_in_failed"), null, 50)).Items
            .Select(e => e.MetadataJson).ToList();
        Assert.Contains(reasons, m => m.Contains("unknown user name", StringComparison.Ordinal));
        Assert.Contains(reasons, m => m.Contains("locked out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_known_user_with_the_right_password_still_signs_in()
    {
        await CreateUserAsync("zoe", Password);

        var answer = await AttemptAsync("zoe", Password);

        Assert.True(answer.SignedIn);
    }

    private async Task<(HttpStatusCode Status, string Message, bool SignedIn)> AttemptAsync(string userName, string password)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await ConsoleForms.SignInWithPasswordAsync(client, userName, password);
        var html = await response.Content.ReadAsStringAsync();
        var alert = Alert().Match(html);
        var signedIn = response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("gx_console=", StringComparison.Ordinal));
        return (response.StatusCode, alert.Success ? WebUtility.HtmlDecode(alert.Groups[1].Value.Trim()) : "", signedIn);
    }

    private async Task<string> CreateUserAsync(string userName, string? password)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var (user, error) = await scope.ServiceProvider.GetRequiredService<ConsoleAccounts>().CreateAsync(userName, null, password, ConsoleRoles.Viewer);
        Assert.True(user is not null, error);
        return user.Id;
    }

    [GeneratedRegex("role=\"alert\"[^>]*>(?:<[^>]+>)*([^<]+)<")]
    private static partial Regex Alert();
}
