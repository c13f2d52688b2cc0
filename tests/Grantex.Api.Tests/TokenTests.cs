using System.Net;
using Grantex.Core.Consent;
using Grantex.Testing;

namespace Grantex.Api.Tests;

public sealed class TokenTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task exchanging_a_code_issues_a_grant_token_with_the_reference_claims()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var body = await api.GrantAsync(agent, ["read"]);
        Assert.StartsWith("grnt_", (string?)body["grantId"]);
        Assert.StartsWith("ref_", (string?)body["refreshToken"]);
        Assert.Equal("read", (string?)body["scopes"]![0]);

        var token = (string)body["grantToken"]!;
        var claims = ApiClient.Payload(token);
        Assert.Equal("http://localhost", (string?)claims["iss"]);
        Assert.Equal("alice", (string?)claims["sub"]);
        Assert.Equal("did:grantex:" + agent, (string?)claims["agt"]);
        Assert.Equal(api.DeveloperId, (string?)claims["dev"]);
        Assert.Equal((string?)body["grantId"], (string?)claims["grnt"]);
        Assert.StartsWith("tok_", (string?)claims["jti"]);
        Assert.True((long)claims["exp"]! > (long)claims["iat"]!);
        Assert.Null(claims["aud"]);
        Assert.Null(claims["presence"]);
        Assert.DoesNotContain('-', token.Split('.')[1]);
        Assert.DoesNotContain('_', token.Split('.')[1]);
    }

    [Fact]
    public async Task an_audience_becomes_the_aud_claim()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var code = (string)(await api.AuthorizeAsync(agent, extra: new { audience = "https://api.example" }))["code"]!;
        var body = await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.Created);
        Assert.Equal("https://api.example", (string?)ApiClient.Payload((string)body["grantToken"]!)["aud"]);
    }

    [Fact]
    public async Task an_invalid_code_or_missing_fields_are_refused()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/token", new { code = "invalid-code-12345", agentId = agent }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/token", new { agentId = agent }), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task a_code_presented_for_another_agent_is_refused_and_stays_usable()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var other = await api.CreateAgentAsync("Other");
        var code = (string)(await api.AuthorizeAsync(agent))["code"]!;
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/token", new { code, agentId = other }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task another_developers_code_is_invalid()
    {
        var owner = await ApiClient.CreateAsync(factory);
        var thief = await ApiClient.CreateAsync(factory);
        var agent = await owner.CreateAgentAsync();
        var code = (string)(await owner.AuthorizeAsync(agent))["code"]!;
        await ApiClient.ExpectErrorAsync(await thief.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task a_code_used_twice_is_refused_and_the_grant_from_its_first_use_is_revoked()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var code = (string)(await api.AuthorizeAsync(agent))["code"]!;
        var first = await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.Created);
        Assert.True(await api.VerifyAsync((string)first["grantToken"]!));

        var again = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("already used", (string?)again["message"]);
        Assert.False(await api.VerifyAsync((string)first["grantToken"]!));
        var grant = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/grants/{first["grantId"]}"), HttpStatusCode.OK);
        Assert.Equal("revoked", (string?)grant["status"]);
        var audit = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries?action=code.replayed"), HttpStatusCode.OK);
        Assert.Equal("blocked", (string?)audit["entries"]![0]!["status"]);
    }

    [Fact]
    public async Task pkce_failures_do_not_consume_the_code()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        const string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        var code = (string)(await api.AuthorizeAsync(agent, extra: new { codeChallenge = Pkce.ChallengeFor(verifier), codeChallengeMethod = "S256" }))["code"]!;

        var missing = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("codeVerifier is required", (string?)missing["message"]);
        var wrong = await api.PostAsync("/v1/token", new { code, agentId = agent, codeVerifier = new string('a', 43) });
        Assert.Contains("Invalid codeVerifier", (string?)(await ApiClient.ExpectErrorAsync(wrong, HttpStatusCode.BadRequest, "BAD_REQUEST"))["message"]);
        var malformed = await api.PostAsync("/v1/token", new { code, agentId = agent, codeVerifier = "short" });
        await ApiClient.ExpectErrorAsync(malformed, HttpStatusCode.BadRequest, "BAD_REQUEST");

        await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code, agentId = agent, codeVerifier = verifier }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task refresh_rotates_the_refresh_token_keeps_the_grant_and_never_extends_it()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var issued = await api.GrantAsync(agent);
        var refreshed = await ApiClient.ExpectAsync(await api.PostAsync("/v1/token/refresh", new { refreshToken = issued["refreshToken"]!.ToString(), agentId = agent }), HttpStatusCode.Created);
        Assert.NotEqual((string?)issued["refreshToken"], (string?)refreshed["refreshToken"]);
        Assert.Equal((string?)issued["grantId"], (string?)refreshed["grantId"]);
        Assert.Equal((string?)issued["expiresAt"], (string?)refreshed["expiresAt"]);
        var newToken = (string)refreshed["grantToken"]!;
        Assert.NotEqual(ApiClient.Payload((string)issued["grantToken"]!)["jti"]!.ToString(), ApiClient.Payload(newToken)["jti"]!.ToString());
        var verified = await ApiClient.ExpectAsync(await api.PostAsync("/v1/tokens/verify", new { token = newToken }), HttpStatusCode.OK);
        Assert.True((bool)verified["valid"]!);
        Assert.Equal((string?)issued["grantId"], (string?)verified["grantId"]);
    }

    [Fact]
    public async Task reusing_a_refresh_token_is_refused_and_revokes_the_grant()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var issued = await api.GrantAsync(agent);
        var refresh = (string)issued["refreshToken"]!;
        var rotated = await ApiClient.ExpectAsync(await api.PostAsync("/v1/token/refresh", new { refreshToken = refresh, agentId = agent }), HttpStatusCode.Created);
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/token/refresh", new { refreshToken = refresh, agentId = agent }), HttpStatusCode.BadRequest, "BAD_REQUEST");

        Assert.False(await api.VerifyAsync((string)rotated["grantToken"]!));
        var next = await api.PostAsync("/v1/token/refresh", new { refreshToken = rotated["refreshToken"]!.ToString(), agentId = agent });
        Assert.Contains("revoked", (string?)(await ApiClient.ExpectErrorAsync(next, HttpStatusCode.BadRequest, "BAD_REQUEST"))["message"]);
    }

    [Theory]
    [InlineData("{\"agentId\":\"ag_nonexistent_12345\"}")]
    [InlineData("{\"refreshToken\":\"ref_unknown\"}")]
    [InlineData("{}")]
    public async Task bad_refresh_requests_are_refused(string json)
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var issued = await api.GrantAsync(agent);
        json = json.Replace("{\"agentId\"", $"{{\"refreshToken\":\"{issued["refreshToken"]}\",\"agentId\"", StringComparison.Ordinal);
        var response = await api.Http.PostAsync("/v1/token/refresh", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await ApiClient.ExpectErrorAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task online_verify_answers_200_with_valid_false_for_garbage_and_foreign_tokens()
    {
        var api = await ApiClient.CreateAsync(factory);
        var other = await ApiClient.CreateAsync(factory);
        var token = (string)(await api.GrantAsync(await api.CreateAgentAsync()))["grantToken"]!;

        var garbage = await api.PostAsync("/v1/tokens/verify", new { token = "not.a.valid.jwt.token" });
        var body = await ApiClient.ExpectAsync(garbage, HttpStatusCode.OK);
        Assert.False((bool)body["valid"]!);
        Assert.Single(body);
        Assert.True(garbage.Headers.Contains("x-ratelimit-limit"));
        Assert.False(await other.VerifyAsync(token));
        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");
        Assert.False(await api.VerifyAsync(tampered));
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/tokens/verify", new { }), HttpStatusCode.BadRequest, "BAD_REQUEST");

        var valid = await ApiClient.ExpectAsync(await api.PostAsync("/v1/tokens/verify", new { token }), HttpStatusCode.OK);
        foreach (var key in new[] { "valid", "grantId", "scopes", "principal", "agent", "expiresAt" })
        {
            Assert.NotNull(valid[key]);
        }
    }

    [Fact]
    public async Task revoking_a_token_by_jti_makes_the_next_verify_false_and_a_second_revoke_404()
    {
        var api = await ApiClient.CreateAsync(factory);
        var token = (string)(await api.GrantAsync(await api.CreateAgentAsync()))["grantToken"]!;
        var jti = (string)ApiClient.Payload(token)["jti"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync("/v1/tokens/revoke", new { jti })).StatusCode);
        Assert.False(await api.VerifyAsync(token));
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/tokens/revoke", new { jti }), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/tokens/revoke", new { }), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }
}
