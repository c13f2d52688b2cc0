using System.Text.RegularExpressions;
using Grantex.Console.Components.Account;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Grantex.Browser.Tests.Console.ConsoleBrowser;

namespace Grantex.Browser.Tests.Console;

/// <summary>Console sign-in through a real OpenID Connect provider, with the role mapped from the provider's claim at each sign-in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OidcSignInTests(BrowserAppFixture browser)
{
    [Fact]
    public async Task a_person_signs_in_with_the_identity_provider_and_gets_the_role_it_maps_to_and_loses_it_when_the_provider_drops_it()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = OidcConsoleApp.Create(provider.BaseUrl);
        provider.RedirectUri = app.BaseUrl + "/signin-oidc";
        app.StartServer();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var (admin, error) = await scope.ServiceProvider.GetRequiredService<ConsoleAccounts>().CreateAsync("ada", null, "a long enough password", ConsoleRoles.Administrator);
            Assert.True(admin is not null, error);
        }

        provider.Roles = ["staff", "grantex-auditors"];
        await using var context = await browser.NewContextAsync(baseUrl: app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/grants");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await ShotAsync(page, "16-login-with-sso");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Example SSO" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(app.BaseUrl + "/grants");

        await WaitForCircuitAsync(page);

        await Assertions.Expect(page.Locator(".gx-whoami")).ToContainTextAsync("Olivia Officer · Compliance officer");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Console users" })).ToHaveCountAsync(0);
        // The server refuses the administrators' page itself, not only the menu link.
        await page.GotoAsync("/users");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/denied"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not available for your role" })).ToBeVisibleAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<ConsoleAccounts>();
            var user = await accounts.Users.FindByLoginAsync(ConsoleOidcOptions.Scheme, provider.Subject);
            Assert.NotNull(user);
            Assert.Equal([ConsoleRoles.ComplianceOfficer], await accounts.Users.GetRolesAsync(user));
        }

        // The provider no longer gives a mapped role: the next sign-in is refused.
        provider.Roles = ["staff"];
        await using var later = await browser.NewContextAsync(baseUrl: app.BaseUrl);
        var second = await later.NewPageAsync();
        await second.GotoAsync("/account/login");
        await second.GetByRole(AriaRole.Button, new() { Name = "Sign in with Example SSO" }).ClickAsync();
        await Assertions.Expect(second).ToHaveURLAsync(new Regex("/account/login\\?error=no_role"));
        await Assertions.Expect(second.GetByRole(AriaRole.Alert)).ToContainTextAsync("has no role that gives access to this console");
    }
}
