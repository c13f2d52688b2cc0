using System.Net;
using Grantex.Core.Developers;
using Grantex.Testing;

namespace Grantex.Api.Tests;

public sealed class AuthorizeTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task a_sandbox_developer_gets_a_code_straight_away()
    {
        var api = await ApiClient.CreateAsync(factory);
        var body = await api.AuthorizeAsync(await api.CreateAgentAsync());
        Assert.StartsWith("areq_", (string?)body["authRequestId"]);
        Assert.Equal($"http://localhost/consent?req={body["authRequestId"]}", (string?)body["consentUrl"]);
        Assert.True((bool)body["sandbox"]!);
        Assert.True(((string)body["code"]!).Length >= 43);
        Assert.True(DateTime.Parse((string)body["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTime.UtcNow);
    }

    [Fact]
    public async Task a_live_developer_gets_a_pending_request_without_a_code()
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live);
        var body = await api.AuthorizeAsync(await api.CreateAgentAsync());
        Assert.Null(body["code"]);
        Assert.Null(body["sandbox"]);
    }

    [Fact]
    public async Task an_empty_body_and_an_unknown_agent_are_refused()
    {
        var api = await ApiClient.CreateAsync(factory);
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/authorize", new { }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.Http.PostAsync("/v1/authorize", null), HttpStatusCode.BadRequest, "BAD_REQUEST");
        var unknown = await api.PostAsync("/v1/authorize", new { agentId = "nonexistent-agent-id", principalId = "alice", scopes = new[] { "read" } });
        await ApiClient.ExpectErrorAsync(unknown, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("{\"expiresIn\":\"10x\"}")]
    [InlineData("{\"expiresIn\":\"0h\"}")]
    [InlineData("{\"codeChallenge\":\"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\"}")]
    [InlineData("{\"codeChallenge\":\"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\",\"codeChallengeMethod\":\"plain\"}")]
    [InlineData("{\"codeChallenge\":\"short\",\"codeChallengeMethod\":\"S256\"}")]
    [InlineData("{\"codeChallengeMethod\":\"S256\"}")]
    [InlineData("{\"audience\":\"\"}")]
    public async Task bad_authorize_parameters_are_refused(string extraJson)
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var json = $"{{\"agentId\":\"{agent}\",\"principalId\":\"alice\",\"scopes\":[\"read\"],{extraJson[1..]}";
        var response = await api.Http.PostAsync("/v1/authorize", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await ApiClient.ExpectErrorAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Theory]
    [InlineData("https://app.example/callback/")]
    [InlineData("https://APP.example/callback")]
    [InlineData("https://app.example/callback/extra")]
    [InlineData("https://app.example/callback?x=1")]
    [InlineData("https://app.example:443/callback")]
    [InlineData("https://app.example.evil.test/callback")]
    public async Task a_redirect_uri_must_match_a_registered_one_exactly(string redirectUri)
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync(redirectUris: ["https://app.example/callback"]);
        var response = await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "alice", scopes = new[] { "read" }, redirectUri });
        var body = await ApiClient.ExpectErrorAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("exactly", (string?)body["message"]);

        var ok = await api.AuthorizeAsync(agent, extra: new { redirectUri = "https://app.example/callback", state = "xyz" });
        Assert.NotNull(ok["code"]);
    }

    [Fact]
    public async Task an_agent_without_registered_redirect_uris_is_told_how_to_register_one()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var response = await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "alice", scopes = new[] { "read" }, redirectUri = "https://app.example/cb" });
        var body = await ApiClient.ExpectErrorAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("redirectUris", (string?)body["message"]);
    }

    [Fact]
    public async Task the_sandbox_decision_helpers_are_refused_for_live_developers()
    {
        var api = await ApiClient.CreateAsync(factory, DeveloperMode.Live);
        var request = await api.AuthorizeAsync(await api.CreateAgentAsync());
        var response = await api.Http.PostAsync($"/v1/authorize/{request["authRequestId"]}/approve", null);
        await ApiClient.ExpectErrorAsync(response, HttpStatusCode.Forbidden, "CONSENT_REQUIRED");
    }

    [Fact]
    public async Task the_sandbox_helpers_answer_404_for_an_already_approved_request()
    {
        var api = await ApiClient.CreateAsync(factory);
        var request = await api.AuthorizeAsync(await api.CreateAgentAsync());
        await ApiClient.ExpectErrorAsync(await api.Http.PostAsync($"/v1/authorize/{request["authRequestId"]}/deny", null), HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
