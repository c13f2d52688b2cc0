using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Api.Tests.Sso;
using Grantex.Core.Passkeys;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Passkeys;

/// <summary>An app on a clock the test moves (enrolment links expire after 15 minutes).</summary>
public sealed class FakeClockApp : IAsyncLifetime
{
    public GrantexApp App { get; } = GrantexApp.With(new GrantexAppOptions { FakeTime = true });

    public Task InitializeAsync() => App.InitializeAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>One-time enrolment links: single use, short-lived, bound to one developer and principal, audited.</summary>
public sealed class EnrolmentLinkTests(FakeClockApp fixture) : IClassFixture<FakeClockApp>
{
    private readonly GrantexApp _app = fixture.App;

    private PasskeyEnrolmentLinks Links => _app.Services.GetRequiredService<PasskeyEnrolmentLinks>();

    [Fact]
    public async Task a_link_enrols_one_passkey_and_is_then_refused_with_410_and_audited()
    {
        var (api, developerId) = await SsoScenario.DeveloperAsync(_app);
        using var person = new SoftwareAuthenticator("http://localhost");
        var token = (await Links.IssueAsync(developerId, "carol", "console:admin")).Value!.Token;

        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(token, person)).StatusCode);
        var again = await PostAsync("options", new { token });
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("already used", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await PostAsync("check", new { token })).StatusCode);

        var passkeys = await api.GetFromJsonAsync<JsonElement>("/v1/webauthn/credentials?principalId=carol");
        Assert.Equal("enrolment_link", Assert.Single(passkeys.GetProperty("credentials").EnumerateArray()).GetProperty("enrolment").GetString());
        var audit = await api.GetFromJsonAsync<JsonElement>("/v1/audit/entries?pageSize=100");
        var actions = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("passkey.enrolment_link_issued", actions);
        Assert.Contains("passkey.enrolment_link_used", actions);
        Assert.Equal(2, actions.Count(a => a == "passkey.enrolment_link_refused"));
        api.Dispose();
    }

    [Fact]
    public async Task two_ceremonies_racing_on_one_link_store_only_one_passkey()
    {
        var (api, developerId) = await SsoScenario.DeveloperAsync(_app);
        using var person = new SoftwareAuthenticator("http://localhost");
        var token = (await Links.IssueAsync(developerId, "dave", "console:admin")).Value!.Token;
        var first = await (await PostAsync("options", new { token })).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await PostAsync("options", new { token })).Content.ReadFromJsonAsync<JsonElement>();

        var a = await CompleteAsync(token, first, person);
        var b = await CompleteAsync(token, second, person);

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, b.StatusCode);
        var passkeys = await api.GetFromJsonAsync<JsonElement>("/v1/webauthn/credentials?principalId=dave");
        Assert.Single(passkeys.GetProperty("credentials").EnumerateArray());
        api.Dispose();
    }

    [Fact]
    public async Task a_link_expires_after_its_lifetime()
    {
        var (api, developerId) = await SsoScenario.DeveloperAsync(_app);
        var token = (await Links.IssueAsync(developerId, "erin", "console:admin")).Value!.Token;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("check", new { token })).StatusCode);
        var options = await (await PostAsync("options", new { token })).Content.ReadFromJsonAsync<JsonElement>();

        _app.Time.Advance(TimeSpan.FromMinutes(15));

        var check = await PostAsync("check", new { token });
        Assert.Equal(HttpStatusCode.Gone, check.StatusCode);
        using var person = new SoftwareAuthenticator("http://localhost");
        Assert.Equal(HttpStatusCode.Gone, (await CompleteAsync(token, options, person)).StatusCode);
        var passkeys = await api.GetFromJsonAsync<JsonElement>("/v1/webauthn/credentials?principalId=erin");
        Assert.Empty(passkeys.GetProperty("credentials").EnumerateArray());
        var refused = await api.GetFromJsonAsync<JsonElement>("/v1/audit/entries?action=passkey.enrolment_link_refused&pageSize=100");
        Assert.Contains(refused.GetProperty("entries").EnumerateArray(), e => e.GetProperty("metadata").GetProperty("reason").GetString() == "expired");
        api.Dispose();
    }

    [Fact]
    public async Task a_link_is_bound_to_its_principal_another_links_ceremony_or_the_developers_api_cannot_use_it()
    {
        var (api, developerId) = await SsoScenario.DeveloperAsync(_app);
        using var person = new SoftwareAuthenticator("http://localhost");
        var forFrank = (await Links.IssueAsync(developerId, "frank", "console:admin")).Value!.Token;
        var forGrace = (await Links.IssueAsync(developerId, "grace", "console:admin")).Value!.Token;
        var graceOptions = await (await PostAsync("options", new { token = forGrace })).Content.ReadFromJsonAsync<JsonElement>();

        // Frank's link with Grace's ceremony: refused, nothing stored, neither link used.
        var crossed = await CompleteAsync(forFrank, graceOptions, person);
        Assert.Equal(HttpStatusCode.BadRequest, crossed.StatusCode);
        // The developer's API cannot finish a link's ceremony either (it would be recorded as the link's path).
        var viaApi = await api.PostAsJsonAsync("/v1/webauthn/register/verify",
            new { challengeId = graceOptions.GetProperty("challengeId").GetString(), response = person.Create(graceOptions.GetProperty("publicKey")) });
        Assert.Equal(HttpStatusCode.BadRequest, viaApi.StatusCode);
        foreach (var principal in new[] { "frank", "grace" })
        {
            var list = await api.GetFromJsonAsync<JsonElement>($"/v1/webauthn/credentials?principalId={principal}");
            Assert.Empty(list.GetProperty("credentials").EnumerateArray());
        }

        // Grace's own ceremony still works with her link, and enrols Grace.
        var created = await CompleteAsync(forGrace, graceOptions, person);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("grace", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("principalId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("check", new { token = forFrank })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("check", new { token = "not-a-link" })).StatusCode);
        api.Dispose();
    }

    private async Task<HttpResponseMessage> EnrolAsync(string token, SoftwareAuthenticator person)
    {
        var options = await (await PostAsync("options", new { token })).Content.ReadFromJsonAsync<JsonElement>();
        return await CompleteAsync(token, options, person);
    }

    private Task<HttpResponseMessage> CompleteAsync(string token, JsonElement options, SoftwareAuthenticator person) =>
        PostAsync("complete", new { token, challengeId = options.GetProperty("challengeId").GetString(), response = person.Create(options.GetProperty("publicKey")) });

    private async Task<HttpResponseMessage> PostAsync(string path, object body)
    {
        using var anyone = _app.CreateClient();
        return await anyone.PostAsJsonAsync("/enrol/" + path, body);
    }
}
