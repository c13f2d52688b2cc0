using System.Net;
using Grantex.Console.Components.Account;
using Grantex.Core.Audit;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Console;

/// <summary>
/// The first administrator needs the server's one-time set-up code, not a "local" connection: a visitor through a
/// reverse proxy (loopback address, forged Host and forwarding headers or none) without the code is refused, audited,
/// and nothing is created; with the code the administrator is created, and the code then works no more.
/// </summary>
public sealed class SetupCodeTests : IClassFixture<GrantexApp>
{
    private const string Password = "a long enough password";
    private readonly GrantexApp _factory;

    public SetupCodeTests(GrantexApp factory)
    {
        _factory = factory;
    }

    [Fact]
    public async Task only_the_set_up_code_creates_the_first_administrator_and_only_once()
    {
        var file = Path.Combine(_factory.DataDirectory, SetupCode.FileName);
        var code = (await File.ReadAllTextAsync(file)).Trim();
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var client = Client();

        var without = await CreateAsync(client, "mallory", null);
        var wrong = await CreateAsync(client, "mallory", "AAAAA-BBBBB-CCCCC-DDDDD");
        var options = await PasskeyOptionsAsync(client, "mallory", "AAAAA-BBBBB-CCCCC-DDDDD");

        foreach (var refused in new[] { without, wrong, options })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("not the set-up code", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        Assert.Equal(0, await UserCountAsync());
        Assert.Equal(3, await RefusalCountAsync());
        Assert.True(File.Exists(file));

        var created = await CreateAsync(client, "ada", code.ToLowerInvariant());

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains(created.Headers.GetValues("Set-Cookie"), c => c.StartsWith("gx_console=", StringComparison.Ordinal));
        Assert.Equal(1, await UserCountAsync());
        Assert.False(File.Exists(file));

        var again = await CreateAsync(Client(), "mallory", code);
        var againOptions = await PasskeyOptionsAsync(Client(), "mallory", code);

        // The page is gone (its form is no longer rendered, so the post is refused before any handler runs).
        Assert.False(again.IsSuccessStatusCode);
        Assert.False(again.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("gx_console=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Forbidden, againOptions.StatusCode);
        Assert.Equal(1, await UserCountAsync());
    }

    private HttpClient Client()
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        // What a visitor through a reverse proxy on the same machine could send: it no longer matters.
        client.DefaultRequestHeaders.Host = "localhost";
        return client;
    }

    private static async Task<HttpResponseMessage> CreateAsync(HttpClient client, string userName, string? code)
    {
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "setup",
            ["__RequestVerificationToken"] = await TokenAsync(client),
            ["SetupInput.UserName"] = userName,
            ["SetupInput.Password"] = Password,
            ["SetupInput.ConfirmPassword"] = Password,
        };
        if (code is not null)
        {
            fields["SetupInput.SetupCode"] = code;
        }

        return await client.PostAsync(ConsolePaths.Setup, new FormUrlEncodedContent(fields));
    }

    private static async Task<HttpResponseMessage> PasskeyOptionsAsync(HttpClient client, string userName, string code) =>
        await client.PostAsync("/account/setup/passkey-options", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(client),
            ["userName"] = userName,
            ["setupCode"] = code,
        }));

    /// <summary>The set-up page's token, or the sign-in page's once the set-up page is gone.</summary>
    private static async Task<string> TokenAsync(HttpClient client)
    {
        var setup = await client.GetAsync(ConsolePaths.Setup);
        return await ConsoleForms.AntiforgeryTokenAsync(client, setup.StatusCode == HttpStatusCode.OK ? ConsolePaths.Setup : ConsolePaths.Login);
    }

    private async Task<int> UserCountAsync()
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        return await db.Users.CountAsync();
    }

    private async Task<int> RefusalCountAsync() =>
        (await _factory.Services.GetRequiredService<AuditService>()
            .ListAcrossAsync(AuditChains.Console, new AuditFilter(Action: AuditActions.ConsoleSetupRefused.Name), null, 50)).Items.Count;
}
