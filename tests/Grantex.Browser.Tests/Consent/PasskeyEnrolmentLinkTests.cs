using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Core.Passkeys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Grantex.Browser.Tests.Consent;

/// <summary>
/// An administrator's one-time enrolment link in a real browser: the person opens it, creates a passkey with the
/// virtual authenticator, the link is used up, and a passkey-only consent then approves with that passkey.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasskeyEnrolmentLinkTests(BrowserAppFixture app)
{
    [Fact]
    public async Task the_person_enrols_through_the_link_once_then_approves_a_passkey_only_consent()
    {
        using var developer = await LiveDeveloper.CreateAsync(app);
        (await developer.Api.PatchAsJsonAsync("/v1/me", new { principalAuthentication = "passkey" })).EnsureSuccessStatusCode();
        var developerId = (await developer.Api.GetFromJsonAsync<JsonElement>("/v1/me")).GetProperty("developerId").GetString()!;
        var issued = await app.Services.GetRequiredService<PasskeyEnrolmentLinks>().IssueAsync(developerId, "alice@example.com", "console:admin");
        var url = $"{app.BaseUrl}/enrol#t={issued.Value!.Token}";

        await using var context = await app.NewContextAsync(new ViewportSize { Width = 390, Height = 844 });
        var page = await context.NewPageAsync();
        await VirtualAuthenticator.AddAsync(context, page);
        await page.GotoAsync(url);
        await Assertions.Expect(page.Locator("#enrol-who")).ToContainTextAsync("alice@example.com");
        Assert.DoesNotContain("#t=", page.Url, StringComparison.Ordinal); // the secret left the address bar
        await BrowserAppFixture.ScreenshotAsync(page, "enrol-1-link-opened-390");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create passkey" }).ClickAsync();
        await Assertions.Expect(page.Locator("#enrol[data-enrol='done']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#enrol-status")).ToContainTextAsync("Your passkey is set up");
        await BrowserAppFixture.ScreenshotAsync(page, "enrol-2-done-390");

        // The same link again: used up.
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync("about:blank");
        await page.GotoAsync(url);
        await Assertions.Expect(page.Locator("#enrol-status")).ToContainTextAsync("already used");
        await BrowserAppFixture.ScreenshotAsync(page, "enrol-3-used-1280");

        var passkeys = await developer.PasskeysAsync();
        Assert.Equal("enrolment_link", Assert.Single(passkeys).GetProperty("enrolment").GetString());
        var (_, consentUrl) = await developer.AuthorizeAsync(scopes: ["calendar:read"]);
        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);
        await Assertions.Expect(page.Locator("[data-identity='passkey']")).ToBeVisibleAsync();
        var callback = await consent.AllowAsync();
        var grant = await developer.VerifyOfflineAsync(await developer.ExchangeAsync(callback.Code!));
        Assert.Equal(["hwk", "user"], grant.AuthenticationMethods);
        Assert.Equal("urn:grantex:acr:passkey", grant.AuthenticationContext);
    }
}
