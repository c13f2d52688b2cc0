using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Api.Tests.Consent;
using Grantex.Api.Tests.Sso;
using Grantex.Core.Passkeys;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Passkeys;

/// <summary>
/// A live developer on <c>principalAuthentication: passkey</c> with an SSO connection (so a person can also enrol after
/// signing in), the developer's own software authenticator (the attacker's) and the person's.
/// </summary>
internal sealed class PasskeyScenario : IAsyncDisposable
{
    private PasskeyScenario(SsoScenario sso, string developerId)
    {
        Sso = sso;
        DeveloperId = developerId;
    }

    public SsoScenario Sso { get; }

    public ConsentScenario Consent => Sso.Consent;

    public GrantexApp App => Sso.App;

    public string DeveloperId { get; }

    public SoftwareAuthenticator Developer { get; } = new("http://localhost");

    public SoftwareAuthenticator Person { get; } = new("http://localhost");

    public static async Task<PasskeyScenario> CreateAsync(GrantexApp app, string level = "passkey")
    {
        var sso = await SsoScenario.CreateAsync(app, requireSso: false);
        using var api = sso.Consent.DeveloperServer();
        var patched = await api.PatchAsJsonAsync("/v1/me", new { principalAuthentication = level });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var me = await api.GetFromJsonAsync<JsonElement>("/v1/me");
        return new PasskeyScenario(sso, me.GetProperty("developerId").GetString()!);
    }

    /// <summary>The developer enrols its own key for <paramref name="principalId"/> through <c>/v1/webauthn/register/*</c>.</summary>
    public async Task<JsonElement> EnrolThroughApiAsync(string principalId = "alice@example.com")
    {
        using var api = Consent.DeveloperServer();
        var options = await (await api.PostAsJsonAsync("/v1/webauthn/register/options", new { principalId })).Content.ReadFromJsonAsync<JsonElement>();
        var verified = await api.PostAsJsonAsync("/v1/webauthn/register/verify",
            new { challengeId = options.GetProperty("challengeId").GetString(), response = Developer.Create(options.GetProperty("publicKey")) });
        var body = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(verified.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    /// <summary>An administrator issues a link in the console (the service the console's Principals screen calls).</summary>
    public async Task<string> IssueLinkAsync(string principalId = "alice@example.com")
    {
        var issued = await App.Services.GetRequiredService<PasskeyEnrolmentLinks>().IssueAsync(DeveloperId, principalId, "console:admin");
        Assert.True(issued.IsSuccess);
        return issued.Value.Token;
    }

    public async Task<HttpResponseMessage> EnrolPostAsync(string path, object body)
    {
        using var anyone = App.CreateClient();
        return await anyone.PostAsJsonAsync("/enrol/" + path, body);
    }

    /// <summary>The person opens the link and creates a passkey with <paramref name="authenticator"/>; returns the completion answer.</summary>
    public async Task<HttpResponseMessage> EnrolThroughLinkAsync(string token, SoftwareAuthenticator? authenticator = null)
    {
        var options = await EnrolPostAsync("options", new { token });
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        var challenge = await options.Content.ReadFromJsonAsync<JsonElement>();
        return await EnrolPostAsync("complete", new
        {
            token,
            challengeId = challenge.GetProperty("challengeId").GetString(),
            response = (authenticator ?? Person).Create(challenge.GetProperty("publicKey")),
        });
    }

    /// <summary>A consent JSON call in <paramref name="browser"/>'s session (cookie plus antiforgery header).</summary>
    public static async Task<HttpResponseMessage> ConsentPostAsync(HttpClient browser, string requestId, string antiforgery, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/consent/{requestId}/{path}");
        request.Headers.Add("RequestVerificationToken", antiforgery);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await browser.SendAsync(request);
    }

    /// <summary>Starts the passkey step and answers the assertion with <paramref name="authenticator"/>'s credential: the body approve or deny carries.</summary>
    public static async Task<object> AssertAsync(HttpClient browser, string requestId, string antiforgery, SoftwareAuthenticator authenticator, string? credentialId = null)
    {
        var step = await ConsentPostAsync(browser, requestId, antiforgery, "passkey");
        var json = await step.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(step.StatusCode == HttpStatusCode.OK, json.ToString());
        Assert.Equal("assert", json.GetProperty("mode").GetString());
        return new { challengeId = json.GetProperty("challengeId").GetString(), response = authenticator.Get(json.GetProperty("publicKey"), credentialId) };
    }

    public async Task<IReadOnlyList<JsonElement>> AuditForAsync(string action, string requestId) =>
        [.. (await Consent.AuditAsync(action)).Where(e => e.GetProperty("metadata").TryGetProperty("authRequestId", out var id) && id.GetString() == requestId)];

    public async ValueTask DisposeAsync()
    {
        Developer.Dispose();
        Person.Dispose();
        await Sso.DisposeAsync();
    }
}
