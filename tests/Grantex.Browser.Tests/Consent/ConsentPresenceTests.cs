using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Grantex.Core.Common;
using Grantex.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace Grantex.Browser.Tests.Consent;

/// <summary>Passkey presence proof on the consent page, with a virtual authenticator: first use, evidence in the token, refusals.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsentPresenceTests(BrowserAppFixture app)
{
    [Fact]
    public async Task first_use_registers_a_passkey_then_asserts_it_and_the_token_carries_the_presence_evidence()
    {
        var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var developer = await LiveDeveloper.CreateAsync(app, presenceRequirement: "always");
        var (_, firstUrl) = await developer.AuthorizeAsync(scopes: ["calendar:read"]);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await VirtualAuthenticator.AddAsync(context, page);

        var consent = await ConsentPageObject.OpenAsync(page, firstUrl);
        Assert.Contains("first create a passkey", await page.Locator(".gx-presence-note").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserAppFixture.ScreenshotAsync(page, "consent-11-presence-first-use");
        var first = await consent.AllowAsync();

        var passkeys = await developer.PasskeysAsync();
        var passkey = Assert.Single(passkeys);
        var credentialId = passkey.GetProperty("credentialId").GetString()!;
        Assert.True(passkey.GetProperty("userVerified").GetBoolean());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, passkey.GetProperty("lastUsedAt").ValueKind);
        var grant = await developer.VerifyOfflineAsync(await developer.ExchangeAsync(first.Code!));
        // Enrolled by whoever opened the link first: proof of a key, not of the person (no hwk).
        Assert.Equal(["pop"], grant.AuthenticationMethods);
        Assert.NotNull(grant.Presence);
        Assert.Equal("consent_page", grant.Presence!.Enrolment);
        Assert.True(grant.Presence!.UserVerified);
        Assert.Equal(Secrets.Sha256Hex(credentialId), grant.Presence.CredentialHash);
        Assert.InRange(grant.Presence.VerifiedAt, started, DateTimeOffset.UtcNow.ToUnixTimeSeconds()); // during this test, however long it took

        // The next consent for the same person only asks for the passkey.
        var (_, secondUrl) = await developer.AuthorizeAsync(scopes: ["files:read"]);
        consent = await ConsentPageObject.OpenAsync(page, secondUrl);
        Assert.Contains("confirm with your passkey", await page.Locator(".gx-presence-note").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserAppFixture.ScreenshotAsync(page, "consent-12-presence-returning");
        var second = await consent.AllowAsync();

        Assert.Single(await developer.PasskeysAsync());
        var again = await developer.VerifyOfflineAsync(await developer.ExchangeAsync(second.Code!));
        Assert.Equal(Secrets.Sha256Hex(credentialId), again.Presence!.CredentialHash);
    }

    [Fact]
    public async Task a_tampered_assertion_is_refused_and_decides_nothing_then_a_genuine_one_works()
    {
        using var developer = await LiveDeveloper.CreateAsync(app, presenceRequirement: "high_risk");
        var (id, consentUrl) = await developer.AuthorizeAsync(scopes: ["calendar:read", "payments:initiate:max_100"]);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await VirtualAuthenticator.AddAsync(context, page);
        var consent = await ConsentPageObject.OpenAsync(page, consentUrl);
        await OnDecisionPostAsync(page, route => route.ContinueAsync(new RouteContinueOptions
        {
            PostData = Encoding.UTF8.GetBytes(WithFields(route.Request.PostData!, ("Input.PasskeyResponse", TamperSignature(Field(route.Request.PostData!, "Input.PasskeyResponse"))))),
        }));

        var refused = await consent.AllowExpectingPageAsync();

        Assert.Equal(400, refused.Status);
        Assert.Contains("signature was invalid", await refused.Problem.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("pending", (await developer.StatusAsync(id)).GetProperty("status").GetString());
        await BrowserAppFixture.ScreenshotAsync(page, "consent-13-passkey-refused");

        await page.UnrouteAllAsync();
        var callback = await refused.AllowAsync();
        Assert.False(string.IsNullOrEmpty(callback.Code));
    }

    [Fact]
    public async Task an_assertion_made_for_one_request_cannot_approve_another()
    {
        using var developer = await LiveDeveloper.CreateAsync(app, presenceRequirement: "always");
        var (firstId, firstUrl) = await developer.AuthorizeAsync(scopes: ["calendar:read"]);
        var (secondId, secondUrl) = await developer.AuthorizeAsync(scopes: ["email:send"]);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await VirtualAuthenticator.AddAsync(context, page);

        // Make an assertion for the first request and keep it instead of sending it.
        var sent = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await OnDecisionPostAsync(page, async route =>
        {
            // Answer the form's POST here with 204 (the browser stays on the page: no navigation, no error page to
            // race the next GotoAsync), and signal only once that is done: the test unroutes next, and a request
            // still in this handler would otherwise go on to the server and decide the first request.
            var postData = route.Request.PostData;
            await route.FulfillAsync(new() { Status = 204 });
            sent.TrySetResult(postData);
        });
        var first = await ConsentPageObject.OpenAsync(page, firstUrl);
        await first.Allow.ClickAsync();
        var captured = await Eventually.SignalAsync(sent, "The browser did not send the form.");
        Assert.NotNull(captured);
        await page.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.Wait });
        var firstChallenge = Field(captured!, "Input.PasskeyChallengeId");
        var firstAssertion = Field(captured!, "Input.PasskeyResponse");

        // Send it with the second request: first with the first request's challenge, then with the second's own.
        var second = await ConsentPageObject.OpenAsync(page, secondUrl);
        await OnDecisionPostAsync(page, route => route.ContinueAsync(new RouteContinueOptions
        {
            PostData = Encoding.UTF8.GetBytes(WithFields(route.Request.PostData!, ("Input.PasskeyChallengeId", firstChallenge), ("Input.PasskeyResponse", firstAssertion))),
        }));
        var withOtherChallenge = await second.AllowExpectingPageAsync();
        Assert.Equal(400, withOtherChallenge.Status);
        Assert.Contains("challenge is unknown, expired, already used, or was issued for something else", await withOtherChallenge.Problem.InnerTextAsync(), StringComparison.Ordinal);

        await page.UnrouteAllAsync();
        await OnDecisionPostAsync(page, route => route.ContinueAsync(new RouteContinueOptions
        {
            PostData = Encoding.UTF8.GetBytes(WithFields(route.Request.PostData!, ("Input.PasskeyResponse", firstAssertion))),
        }));
        var withOwnChallenge = await withOtherChallenge.AllowExpectingPageAsync();
        Assert.Equal(400, withOwnChallenge.Status);
        Assert.Contains("could not be verified", await withOwnChallenge.Problem.InnerTextAsync(), StringComparison.Ordinal);

        Assert.Equal("pending", (await developer.StatusAsync(firstId)).GetProperty("status").GetString());
        Assert.Equal("pending", (await developer.StatusAsync(secondId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task a_passkey_whose_signature_counter_went_backwards_is_refused_as_a_possible_clone()
    {
        var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var developer = await LiveDeveloper.CreateAsync(app, presenceRequirement: "always");
        var (_, firstUrl) = await developer.AuthorizeAsync(scopes: ["calendar:read"]);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await VirtualAuthenticator.AddAsync(context, page);
        await (await ConsentPageObject.OpenAsync(page, firstUrl)).AllowAsync();
        var passkeyId = Assert.Single(await developer.PasskeysAsync()).GetProperty("id").GetString()!;

        // As if a copy of the authenticator had been used elsewhere a million times since.
        await developer.ExecuteSqlAsync("UPDATE principal_passkeys SET SignCount = 1000000 WHERE Id = $id", ("$id", passkeyId));
        var (id, secondUrl) = await developer.AuthorizeAsync(scopes: ["calendar:read"]);
        var refused = await (await ConsentPageObject.OpenAsync(page, secondUrl)).AllowExpectingPageAsync();

        Assert.Equal(400, refused.Status);
        Assert.Contains("could not be verified", await refused.Problem.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("pending", (await developer.StatusAsync(id)).GetProperty("status").GetString());
    }

    /// <summary>Intercepts the consent form's POST (the page's GET and its script's calls go through untouched).</summary>
    private static Task OnDecisionPostAsync(IPage page, Func<IRoute, Task> handler) =>
        page.RouteAsync(url => url.Contains("/consent?req=", StringComparison.Ordinal) && !url.Contains("/v1/", StringComparison.Ordinal),
            route => route.Request.Method == "POST" ? handler(route) : route.ContinueAsync());

    private static string Field(string form, string name) => QueryHelpers.ParseQuery(form)[name].ToString();

    private static string WithFields(string form, params (string Name, string Value)[] replacements)
    {
        var fields = QueryHelpers.ParseQuery(form).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        foreach (var (name, value) in replacements)
        {
            fields[name] = value;
        }

        return string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
    }

    private static string TamperSignature(string assertionJson)
    {
        var assertion = JsonNode.Parse(assertionJson)!;
        var signature = Base64Url.DecodeFromChars(assertion["response"]!["signature"]!.GetValue<string>());
        signature[^1] ^= 0x01;
        assertion["response"]!["signature"] = Base64Url.EncodeToString(signature);
        return assertion.ToJsonString();
    }

}
