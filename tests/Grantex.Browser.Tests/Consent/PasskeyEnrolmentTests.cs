using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Grantex.Browser.Tests.Consent;

/// <summary>A developer enrols a person's passkey through the API from a page on an allowed origin; consent then only asks for it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PasskeyEnrolmentTests(BrowserAppFixture app)
{
    [Fact]
    public async Task a_passkey_enrolled_through_the_api_is_the_one_consent_asks_for_and_can_be_deleted()
    {
        using var developer = await LiveDeveloper.CreateAsync(app, presenceRequirement: "always");
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await VirtualAuthenticator.AddAsync(context, page);
        await page.GotoAsync(app.BaseUrl + "/consent"); // any page of the allowed origin: the developer's enrolment page stands in here

        var options = await (await developer.Api.PostAsJsonAsync("/v1/webauthn/register/options", new { principalId = "carol" })).Content.ReadFromJsonAsync<JsonElement>();
        var credential = await page.EvaluateAsync<string>(
            "async o => JSON.stringify(await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(o)) }))",
            options.GetProperty("publicKey").GetRawText());
        var verify = await developer.Api.PostAsJsonAsync("/v1/webauthn/register/verify", new
        {
            challengeId = options.GetProperty("challengeId").GetString(),
            response = JsonDocument.Parse(credential).RootElement,
            deviceName = "Carol's laptop",
        });

        Assert.Equal(HttpStatusCode.Created, verify.StatusCode);
        var created = await verify.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("carol", created.GetProperty("principalId").GetString());
        Assert.Equal("Carol's laptop", created.GetProperty("deviceName").GetString());
        var listed = Assert.Single(await developer.PasskeysAsync("carol"));
        Assert.Equal(created.GetProperty("id").GetString(), listed.GetProperty("id").GetString());

        var replay = await developer.Api.PostAsJsonAsync("/v1/webauthn/register/verify", new
        {
            challengeId = options.GetProperty("challengeId").GetString(),
            response = JsonDocument.Parse(credential).RootElement,
        });
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);

        var (_, consentUrl) = await developer.AuthorizeAsync(scopes: ["contacts:read"], principalId: "carol");
        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);
        Assert.Contains("confirm with your passkey", await page.Locator(".gx-presence-note").InnerTextAsync(), StringComparison.Ordinal);
        var callback = await consent.AllowAsync();
        var grant = await developer.VerifyOfflineAsync(await developer.ExchangeAsync(callback.Code!));
        Assert.Equal(Grantex.Core.Common.Secrets.Sha256Hex(listed.GetProperty("credentialId").GetString()!), grant.Presence!.CredentialHash);

        Assert.Equal(HttpStatusCode.NoContent, (await developer.Api.DeleteAsync($"/v1/webauthn/credentials/{listed.GetProperty("id").GetString()}")).StatusCode);
        Assert.Empty(await developer.PasskeysAsync("carol"));
    }
}
