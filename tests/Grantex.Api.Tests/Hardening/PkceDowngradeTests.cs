using System.Net;
using System.Text.Json.Nodes;
using Grantex.Core.Consent;
using Grantex.Testing;

namespace Grantex.Api.Tests.Hardening;

/// <summary>PKCE cannot be downgraded: a verifier for a code without a challenge is refused, and the OAuth spellings of
/// the challenge fields are never silently dropped.</summary>
public sealed class PkceDowngradeTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    [Fact]
    public async Task a_verifier_for_a_code_issued_without_a_challenge_is_refused_and_issues_nothing()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        // The attacker stripped the challenge from the authorize request; the honest client still sends its verifier.
        var code = (string)(await api.AuthorizeAsync(agent))["code"]!;

        var refused = await ApiClient.ExpectErrorAsync(
            await api.PostAsync("/v1/token", new { code, agentId = agent, codeVerifier = Verifier }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("without a codeChallenge", (string?)refused["message"]);

        Assert.Empty(await EntriesAsync(api, "grant.created"));
        var grants = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/grants"), HttpStatusCode.OK);
        Assert.Empty(grants["grants"]!.AsArray());
        var audit = Assert.Single(await EntriesAsync(api, "token.pkce_downgrade_refused"));
        Assert.Equal("blocked", (string?)audit!["status"]);
    }

    [Fact]
    public async Task snake_case_pkce_fields_on_authorize_are_honoured()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var code = (string)(await api.AuthorizeAsync(agent, extra: new { code_challenge = Pkce.ChallengeFor(Verifier), code_challenge_method = "S256" }))["code"]!;

        var missing = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("codeVerifier is required", (string?)missing["message"]);
        await ApiClient.ExpectErrorAsync(
            await api.PostAsync("/v1/token", new { code, agentId = agent, codeVerifier = new string('a', 43) }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code, agentId = agent, codeVerifier = Verifier }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task snake_case_plain_method_is_refused_like_the_camel_case_one()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var body = new { agentId = agent, principalId = "alice", scopes = new[] { "read" }, code_challenge = Verifier, code_challenge_method = "plain" };
        var refused = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/authorize", body), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("S256", (string?)refused["message"]);
    }

    [Theory]
    [InlineData("code_challenge")]
    [InlineData("code_challenge_method")]
    public async Task both_spellings_with_different_values_are_refused_and_create_no_request(string conflicting)
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var body = new JsonObject
        {
            ["agentId"] = agent, ["principalId"] = "alice", ["scopes"] = new JsonArray("read"),
            ["codeChallenge"] = Pkce.ChallengeFor(Verifier), ["codeChallengeMethod"] = "S256",
            ["code_challenge"] = Pkce.ChallengeFor(Verifier), ["code_challenge_method"] = "S256",
        };
        body[conflicting] = conflicting == "code_challenge" ? Pkce.ChallengeFor(new string('b', 43)) : "plain";

        var refused = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/authorize", body), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains(conflicting, (string?)refused["message"]);
        Assert.Empty(await EntriesAsync(api, "consent.approved"));
    }

    [Fact]
    public async Task both_spellings_with_the_same_value_are_accepted()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var challenge = Pkce.ChallengeFor(Verifier);
        var code = (string)(await api.AuthorizeAsync(agent, extra: new
        {
            codeChallenge = challenge, codeChallengeMethod = "S256", code_challenge = challenge, code_challenge_method = "S256",
        }))["code"]!;
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code, agentId = agent, codeVerifier = Verifier }), HttpStatusCode.Created);
    }

    private static async Task<JsonArray> EntriesAsync(ApiClient api, string action) =>
        (await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/audit/entries?action={action}"), HttpStatusCode.OK))["entries"]!.AsArray();
}
