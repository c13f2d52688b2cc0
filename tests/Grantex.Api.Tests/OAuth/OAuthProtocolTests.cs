using System.Net;
using System.Net.Http.Json;
using Grantex.Api.Tests.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.OAuth;

/// <summary>The OAuth 2.1 front end to end over HTTP: metadata, registration, authorize, token, introspection, revocation.</summary>
public sealed class OAuthProtocolTests(GrantexApp app) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task Metadata_describes_exactly_what_is_supported()
    {
        using var http = app.CreateClient();
        var body = await ApiClient.ExpectAsync(await http.GetAsync("/.well-known/oauth-authorization-server"), HttpStatusCode.OK);
        Assert.Equal(app.BaseUrl, (string?)body["issuer"]);
        Assert.Equal(app.BaseUrl + "/oauth/authorize", (string?)body["authorization_endpoint"]);
        Assert.Equal(app.BaseUrl + "/oauth/token", (string?)body["token_endpoint"]);
        Assert.Equal(app.BaseUrl + "/oauth/register", (string?)body["registration_endpoint"]);
        Assert.Equal(app.BaseUrl + "/oauth/introspect", (string?)body["introspection_endpoint"]);
        Assert.Equal(app.BaseUrl + "/oauth/revoke", (string?)body["revocation_endpoint"]);
        Assert.Equal(["code"], body["response_types_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["S256"], body["code_challenge_methods_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["authorization_code", "refresh_token"], body["grant_types_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["none", "client_secret_basic", "client_secret_post"], body["token_endpoint_auth_methods_supported"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public async Task A_registered_client_is_an_agent_with_a_DID_and_can_be_read_and_deleted_with_its_registration_token()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var registered = await s.RegisterAsync();
        var clientId = (string)registered["client_id"]!;
        Assert.StartsWith("ag_", clientId);
        Assert.Equal("did:grantex:" + clientId, (string?)registered["agent_did"]);
        Assert.Null(registered["client_secret"]);
        var rat = (string)registered["registration_access_token"]!;

        var agent = await ApiClient.ExpectAsync(await s.Developer.GetAsync($"/v1/agents/{clientId}"), HttpStatusCode.OK);
        Assert.Equal("Desk Assistant", (string?)agent["name"]);
        Assert.Equal([OAuthScenario.RedirectUri], agent["redirectUris"]!.AsArray().Select(v => (string)v!));

        using var http = s.Anonymous();
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/oauth/register/{clientId}");
        read.Headers.Authorization = new("Bearer", rat);
        var current = await ApiClient.ExpectAsync(await http.SendAsync(read), HttpStatusCode.OK);
        Assert.Equal(clientId, (string?)current["client_id"]);
        Assert.Null(current["registration_access_token"]);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, $"/oauth/register/{clientId}");
        wrong.Headers.Authorization = new("Bearer", "gxrat_wrong");
        var refused = await http.SendAsync(wrong);
        await OAuthScenario.ExpectOAuthErrorAsync(refused, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString());

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/oauth/register/{clientId}");
        delete.Headers.Authorization = new("Bearer", rat);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(delete)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Developer.GetAsync($"/v1/agents/{clientId}")).StatusCode);
        Assert.NotEmpty(await s.AuditAsync("oauth.client_registered"));
    }

    [Theory]
    [InlineData("javascript:alert(1)", "invalid_redirect_uri")]
    [InlineData("data:text/html,hi", "invalid_redirect_uri")]
    [InlineData("https://*.example.com/cb", "invalid_redirect_uri")]
    [InlineData("https://app.example.com/*", "invalid_redirect_uri")]
    [InlineData("http://app.example.com/cb", "invalid_redirect_uri")]
    [InlineData("https://app.example.com/cb#frag", "invalid_redirect_uri")]
    [InlineData("https://user:pw@app.example.com/cb", "invalid_redirect_uri")]
    public async Task Registration_refuses_unsafe_redirect_uris_and_creates_nothing(string uri, string error)
    {
        var s = await OAuthScenario.CreateAsync(app);
        var response = await s.RegisterRawAsync(await s.RegistrationTokenAsync(), new { redirect_uris = new[] { uri }, token_endpoint_auth_method = "none" });
        await OAuthScenario.ExpectOAuthErrorAsync(response, HttpStatusCode.BadRequest, error);
        var agents = await ApiClient.ExpectAsync(await s.Developer.GetAsync("/v1/agents"), HttpStatusCode.OK);
        Assert.Empty(agents["agents"]!.AsArray());
        Assert.NotEmpty(await s.AuditAsync("oauth.registration_refused"));
    }

    [Fact]
    public async Task Registration_refuses_bad_metadata_oversized_documents_and_missing_or_used_up_tokens()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var ok = new { redirect_uris = new[] { "https://app.example.com/cb" }, token_endpoint_auth_method = "none" };
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync(null, ok), HttpStatusCode.Unauthorized, "invalid_token");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync("gxit_unknown", ok), HttpStatusCode.Unauthorized, "invalid_token");

        var once = await s.RegistrationTokenAsync();
        await ApiClient.ExpectAsync(await s.RegisterRawAsync(once, ok), HttpStatusCode.Created);
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync(once, ok), HttpStatusCode.Unauthorized, "invalid_token");

        var token = await s.RegistrationTokenAsync(new { maxUses = 10 });
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync(token, new { redirect_uris = new[] { "https://a.example/cb" }, token_endpoint_auth_method = "private_key_jwt" }),
            HttpStatusCode.BadRequest, "invalid_client_metadata");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync(token, new { redirect_uris = new[] { "https://a.example/cb" }, grant_types = new[] { "client_credentials" } }),
            HttpStatusCode.BadRequest, "invalid_client_metadata");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync(token, new { redirect_uris = new[] { "https://a.example/cb" }, response_types = new[] { "token" } }),
            HttpStatusCode.BadRequest, "invalid_client_metadata");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync(token, new { client_name = "no redirects" }), HttpStatusCode.BadRequest, "invalid_redirect_uri");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync(token, new { redirect_uris = new[] { "https://a.example/cb" }, client_name = new string('x', 20_000) }),
            HttpStatusCode.BadRequest, "invalid_client_metadata");

        var agents = await ApiClient.ExpectAsync(await s.Developer.GetAsync("/v1/agents"), HttpStatusCode.OK);
        Assert.Single(agents["agents"]!.AsArray());
    }

    [Fact]
    public async Task Code_flow_issues_a_grant_token_for_the_resource_that_verifies_and_appears_as_a_grant()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var (clientId, tokens) = await s.FullFlowAsync();
        Assert.Equal("Bearer", (string?)tokens["token_type"]);
        Assert.InRange((long)tokens["expires_in"]!, 3500, 86400);
        Assert.Equal("tools:call files:read", (string?)tokens["scope"]);
        Assert.StartsWith("ref_", (string?)tokens["refresh_token"]);
        var access = (string)tokens["access_token"]!;
        var claims = ApiClient.Payload(access);
        Assert.Equal(OAuthScenario.Resource, (string?)claims["aud"]);
        Assert.Equal("did:grantex:" + clientId, (string?)claims["agt"]);
        Assert.Equal("oauth:" + clientId, (string?)claims["sub"]);

        var verified = await ApiClient.ExpectAsync(await s.Developer.PostAsJsonAsync("/v1/tokens/verify", new { token = access }), HttpStatusCode.OK);
        Assert.True((bool)verified["valid"]!);

        var introspected = await s.IntrospectAsync(access);
        Assert.True((bool)introspected["active"]!);
        Assert.Equal(clientId, (string?)introspected["client_id"]);
        Assert.Equal(OAuthScenario.Resource, (string?)introspected["aud"]);
        Assert.Equal("tools:call files:read", (string?)introspected["scope"]);

        var grants = await ApiClient.ExpectAsync(await s.Developer.GetAsync($"/v1/grants?agentId={clientId}"), HttpStatusCode.OK);
        Assert.Single(grants["grants"]!.AsArray());
    }

    [Fact]
    public async Task Login_hint_names_the_principal_and_deny_redirects_with_access_denied()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var clientId = (string)(await s.RegisterAsync())["client_id"]!;
        var (_, challenge) = OAuthScenario.NewPkce();
        var back = await s.ConsentAsync(OAuthScenario.AuthorizeUrl(clientId, challenge, extra: ("login_hint", "alice@example.com")), decision: "deny");
        Assert.StartsWith(OAuthScenario.RedirectUri, back.ToString());
        Assert.Equal("access_denied", ConsentScenario.Query(back, "error"));
        Assert.Equal("st-1", ConsentScenario.Query(back, "state"));
    }

    [Fact]
    public async Task Loopback_redirect_uris_match_on_any_port_but_nothing_else_differs()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var clientId = (string)(await s.RegisterAsync())["client_id"]!;
        var (verifier, challenge) = OAuthScenario.NewPkce();
        var other = "http://127.0.0.1:51234/callback";
        var back = await s.ConsentAsync(OAuthScenario.AuthorizeUrl(clientId, challenge, redirectUri: other));
        Assert.StartsWith(other + "?", back.ToString());
        var code = ConsentScenario.Query(back, "code");
        await ApiClient.ExpectAsync(await s.TokenAsync(OAuthScenario.CodeForm(clientId, code, verifier, redirectUri: other)), HttpStatusCode.OK);

        using var browser = s.Anonymous();
        foreach (var bad in new[] { "http://127.0.0.1:51234/other", "http://localhost:8765/callback", "https://127.0.0.1:8765/callback", "http://127.0.0.1:8765/callback?x=1" })
        {
            var response = await browser.GetAsync(OAuthScenario.AuthorizeUrl(clientId, challenge, redirectUri: bad));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("redirect URIs this client registered", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Unknown_client_or_unregistered_redirect_gets_an_error_page_never_a_redirect()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var clientId = (string)(await s.RegisterAsync())["client_id"]!;
        var (_, challenge) = OAuthScenario.NewPkce();
        using var browser = s.Anonymous();
        foreach (var url in new[]
        {
            OAuthScenario.AuthorizeUrl("ag_unknown", challenge),
            OAuthScenario.AuthorizeUrl(clientId, challenge, redirectUri: "https://evil.example.com/steal"),
            OAuthScenario.AuthorizeUrl(clientId, challenge, redirectUri: "javascript:alert(1)"),
            OAuthScenario.AuthorizeUrl(clientId, challenge) + "&client_id=" + clientId,
        })
        {
            var response = await browser.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.StartsWith("text/html", response.Content.Headers.ContentType!.ToString());
        }

        Assert.NotEmpty(await s.AuditAsync("oauth.authorize_refused"));
    }

    [Theory]
    [InlineData(null, "S256", "tools:call", OAuthScenario.Resource, "invalid_request")]
    [InlineData("CHALLENGE", "plain", "tools:call", OAuthScenario.Resource, "invalid_request")]
    [InlineData("CHALLENGE", null, "tools:call", OAuthScenario.Resource, "invalid_request")]
    [InlineData("CHALLENGE", "S256", "tools:call", null, "invalid_target")]
    [InlineData("CHALLENGE", "S256", "tools:call", "https://other.example.com/mcp", "invalid_target")]
    [InlineData("CHALLENGE", "S256", null, OAuthScenario.Resource, "invalid_scope")]
    public async Task Authorize_errors_redirect_to_a_valid_client_with_error_and_state(string? challenge, string? method, string? scope, string? resource, string error)
    {
        var s = await OAuthScenario.CreateAsync(app);
        var clientId = (string)(await s.RegisterAsync())["client_id"]!;
        var realChallenge = challenge == "CHALLENGE" ? OAuthScenario.NewPkce().Challenge : null;
        using var browser = s.Anonymous();
        var url = OAuthScenario.AuthorizeUrl(clientId, realChallenge!, resource: resource, scope: scope, method: method);
        var response = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(OAuthScenario.RedirectUri + "?", location.ToString());
        Assert.Equal(error, ConsentScenario.Query(location, "error"));
        Assert.Equal("st-1", ConsentScenario.Query(location, "state"));
        Assert.Equal("", ConsentScenario.Query(location, "code"));
    }

    [Fact]
    public async Task Unsupported_response_type_redirects_with_its_error()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var clientId = (string)(await s.RegisterAsync())["client_id"]!;
        using var browser = s.Anonymous();
        var url = OAuthScenario.AuthorizeUrl(clientId, OAuthScenario.NewPkce().Challenge).Replace("response_type=code", "response_type=token", StringComparison.Ordinal);
        var response = await browser.GetAsync(url);
        Assert.Equal("unsupported_response_type", ConsentScenario.Query(response.Headers.Location!, "error"));
    }

    [Fact]
    public async Task Token_endpoint_refuses_wrong_verifier_redirect_resource_and_code_reuse_revokes()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var clientId = (string)(await s.RegisterAsync())["client_id"]!;
        var (verifier, challenge) = OAuthScenario.NewPkce();
        var code = await s.CodeAsync(clientId, challenge);

        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync(OAuthScenario.CodeForm(clientId, code, OAuthScenario.NewPkce().Verifier)), HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync(OAuthScenario.CodeForm(clientId, code, verifier, redirectUri: "http://127.0.0.1:9999/other")),
            HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync(OAuthScenario.CodeForm(clientId, code, verifier, resource: "https://other.example.com/mcp")),
            HttpStatusCode.BadRequest, "invalid_target");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "authorization_code"), ("client_id", clientId), ("code", code), ("redirect_uri", OAuthScenario.RedirectUri)]),
            HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "password"), ("client_id", clientId)]), HttpStatusCode.BadRequest, "unsupported_grant_type");

        // None of those consumed the code: the right request still works, once.
        var tokens = await ApiClient.ExpectAsync(await s.TokenAsync(OAuthScenario.CodeForm(clientId, code, verifier)), HttpStatusCode.OK);
        var access = (string)tokens["access_token"]!;
        Assert.True((bool)(await s.IntrospectAsync(access))["active"]!);

        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync(OAuthScenario.CodeForm(clientId, code, verifier)), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.False((bool)(await s.IntrospectAsync(access))["active"]!);
        Assert.NotEmpty(await s.AuditAsync("code.replayed"));
        Assert.NotEmpty(await s.AuditAsync("oauth.token_refused"));
    }

    [Fact]
    public async Task Refresh_rotates_and_reuse_revokes_the_grant()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var (clientId, tokens) = await s.FullFlowAsync();
        var first = (string)tokens["refresh_token"]!;
        var rotated = await ApiClient.ExpectAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", first), ("resource", OAuthScenario.Resource)]), HttpStatusCode.OK);
        Assert.NotEqual(first, (string?)rotated["refresh_token"]);
        Assert.Equal(OAuthScenario.Resource, (string?)ApiClient.Payload((string)rotated["access_token"]!)["aud"]);

        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", (string)rotated["refresh_token"]!), ("resource", "https://other.example.com/mcp")]),
            HttpStatusCode.BadRequest, "invalid_target");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", first)]), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.False((bool)(await s.IntrospectAsync((string)rotated["access_token"]!))["active"]!);
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", (string)rotated["refresh_token"]!)]),
            HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_client_that_did_not_register_for_refresh_gets_no_refresh_token_and_cannot_refresh()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var registered = await ApiClient.ExpectAsync(await s.RegisterRawAsync(await s.RegistrationTokenAsync(),
            new { redirect_uris = new[] { OAuthScenario.RedirectUri }, token_endpoint_auth_method = "none" }), HttpStatusCode.Created);
        var clientId = (string)registered["client_id"]!;
        Assert.Equal(["authorization_code"], registered["grant_types"]!.AsArray().Select(v => (string)v!));
        var (verifier, challenge) = OAuthScenario.NewPkce();
        var code = await s.CodeAsync(clientId, challenge);
        var tokens = await ApiClient.ExpectAsync(await s.TokenAsync(OAuthScenario.CodeForm(clientId, code, verifier)), HttpStatusCode.OK);
        Assert.Null(tokens["refresh_token"]);
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", "ref_x")]),
            HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task Client_authentication_rules_public_and_confidential()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var publicId = (string)(await s.RegisterAsync())["client_id"]!;
        var confidential = await s.RegisterAsync(authMethod: "client_secret_basic");
        var confId = (string)confidential["client_id"]!;
        var secret = (string)confidential["client_secret"]!;
        var post = await s.RegisterAsync(authMethod: "client_secret_post");
        var postId = (string)post["client_id"]!;

        // A public client presenting a secret, a confidential one without, a wrong secret, the wrong method, two methods.
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_id", publicId), ("client_secret", "x"), ("refresh_token", "ref_x")]),
            HttpStatusCode.Unauthorized, "invalid_client");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_id", confId), ("refresh_token", "ref_x")]),
            HttpStatusCode.Unauthorized, "invalid_client");
        var wrong = await s.TokenAsync([("grant_type", "refresh_token"), ("refresh_token", "ref_x")], basic: (confId, "gxcs_wrong"));
        await OAuthScenario.ExpectOAuthErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic", wrong.Headers.WwwAuthenticate.ToString());
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_id", confId), ("client_secret", secret), ("refresh_token", "ref_x")]),
            HttpStatusCode.Unauthorized, "invalid_client");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_secret", secret), ("refresh_token", "ref_x")], basic: (confId, secret)),
            HttpStatusCode.BadRequest, "invalid_request");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_id", postId), ("client_secret", (string)post["client_secret"]!), ("refresh_token", "ref_x")]),
            HttpStatusCode.BadRequest, "invalid_grant");

        // The confidential client with its secret gets through authentication (and the code flow works with Basic).
        var (verifier, challenge) = OAuthScenario.NewPkce();
        var code = await s.CodeAsync(confId, challenge);
        var form = OAuthScenario.CodeForm(confId, code, verifier).Where(f => f.Item1 != "client_id");
        await ApiClient.ExpectAsync(await s.TokenAsync(form, basic: (confId, secret)), HttpStatusCode.OK);
        Assert.NotEmpty(await s.AuditAsync("oauth.token_refused"));
    }

    [Fact]
    public async Task A_client_of_developer_A_cannot_use_a_code_or_token_of_developer_B()
    {
        var a = await OAuthScenario.CreateAsync(app, name: "Developer A");
        var b = await OAuthScenario.CreateAsync(app, name: "Developer B");
        var clientA = (string)(await a.RegisterAsync())["client_id"]!;
        var clientB = (string)(await b.RegisterAsync())["client_id"]!;
        var (verifier, challenge) = OAuthScenario.NewPkce();
        var codeB = await b.CodeAsync(clientB, challenge);
        await OAuthScenario.ExpectOAuthErrorAsync(await a.TokenAsync(OAuthScenario.CodeForm(clientA, codeB, verifier)), HttpStatusCode.BadRequest, "invalid_grant");

        // B's code still works for B (nothing was consumed), and A's key cannot introspect B's token.
        var tokens = await ApiClient.ExpectAsync(await b.TokenAsync(OAuthScenario.CodeForm(clientB, codeB, verifier)), HttpStatusCode.OK);
        Assert.False((bool)(await a.IntrospectAsync((string)tokens["access_token"]!))["active"]!);
        Assert.True((bool)(await b.IntrospectAsync((string)tokens["access_token"]!))["active"]!);
    }

    [Fact]
    public async Task Revocation_by_the_client_and_by_the_developer_shows_in_introspection_at_once()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var (clientId, tokens) = await s.FullFlowAsync();
        var access = (string)tokens["access_token"]!;
        var refresh = (string)tokens["refresh_token"]!;
        Assert.True((bool)(await s.IntrospectAsync(refresh))["active"]!);

        // Another client cannot revoke it; the answer is still 200.
        var other = (string)(await s.RegisterAsync())["client_id"]!;
        Assert.Equal(HttpStatusCode.OK, (await s.PostFormAsync("/oauth/revoke", [("client_id", other), ("token", access)])).StatusCode);
        Assert.True((bool)(await s.IntrospectAsync(access))["active"]!);

        Assert.Equal(HttpStatusCode.OK, (await s.PostFormAsync("/oauth/revoke", [("client_id", clientId), ("token", refresh)])).StatusCode);
        Assert.False((bool)(await s.IntrospectAsync(access))["active"]!);
        Assert.False((bool)(await s.IntrospectAsync(refresh))["active"]!);
        Assert.Equal(HttpStatusCode.OK, (await s.PostFormAsync("/oauth/revoke", [("client_id", clientId), ("token", "not-a-token")])).StatusCode);

        // The developer's revocation (console or API) too.
        var (_, second) = await s.FullFlowAsync();
        var grantId = (string)ApiClient.Payload((string)second["access_token"]!)["grnt"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await s.Developer.DeleteAsync($"/v1/grants/{grantId}")).StatusCode);
        Assert.False((bool)(await s.IntrospectAsync((string)second["access_token"]!))["active"]!);
    }

    [Fact]
    public async Task Suspending_the_client_as_an_agent_cuts_off_its_tokens_refresh_and_authorize()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var (clientId, tokens) = await s.FullFlowAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.Developer.PatchAsJsonAsync($"/v1/agents/{clientId}", new { status = "suspended" })).StatusCode);

        Assert.False((bool)(await s.IntrospectAsync((string)tokens["access_token"]!))["active"]!);
        await OAuthScenario.ExpectOAuthErrorAsync(await s.TokenAsync([("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", (string)tokens["refresh_token"]!)]),
            HttpStatusCode.Unauthorized, "invalid_client");
        using var browser = s.Anonymous();
        var page = await browser.GetAsync(OAuthScenario.AuthorizeUrl(clientId, OAuthScenario.NewPkce().Challenge));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Null(page.Headers.Location);
    }

    [Fact]
    public async Task Introspection_needs_an_api_key_or_a_confidential_client()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var (clientId, tokens) = await s.FullFlowAsync();
        var access = (string)tokens["access_token"]!;
        await OAuthScenario.ExpectOAuthErrorAsync(await s.PostFormAsync("/oauth/introspect", [("token", access)]), HttpStatusCode.Unauthorized, "invalid_client");
        await OAuthScenario.ExpectOAuthErrorAsync(await s.PostFormAsync("/oauth/introspect", [("token", access), ("client_id", clientId)]), HttpStatusCode.Unauthorized, "invalid_client");
        var confidential = await s.RegisterAsync(authMethod: "client_secret_basic");
        var answer = await ApiClient.ExpectAsync(await s.PostFormAsync("/oauth/introspect", [("token", access)],
            basic: ((string)confidential["client_id"]!, (string)confidential["client_secret"]!)), HttpStatusCode.OK);
        Assert.True((bool)answer["active"]!);
    }

    [Fact]
    public async Task Resources_are_validated_and_listed()
    {
        var s = await OAuthScenario.CreateAsync(app);
        var listed = await ApiClient.ExpectAsync(await s.Developer.GetAsync("/v1/oauth/resources"), HttpStatusCode.OK);
        Assert.Equal([OAuthScenario.Resource], listed["resources"]!.AsArray().Select(v => (string)v!));
        await ApiClient.ExpectErrorAsync(await s.Developer.PutAsJsonAsync("/v1/oauth/resources", new { resources = new[] { "http://mcp.example.com" } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await s.Developer.PutAsJsonAsync("/v1/oauth/resources", new { resources = new[] { "https://mcp.example.com/#x" } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        listed = await ApiClient.ExpectAsync(await s.Developer.GetAsync("/v1/oauth/resources"), HttpStatusCode.OK);
        Assert.Single(listed["resources"]!.AsArray());
        Assert.NotEmpty(await s.AuditAsync("oauth.resources_changed"));
    }

    [Fact]
    public async Task Sandbox_developers_get_the_code_straight_back()
    {
        var s = await OAuthScenario.CreateAsync(app, DeveloperMode.Sandbox);
        var clientId = (string)(await s.RegisterAsync())["client_id"]!;
        using var browser = s.Anonymous();
        var response = await browser.GetAsync(OAuthScenario.AuthorizeUrl(clientId, OAuthScenario.NewPkce().Challenge));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotEqual("", ConsentScenario.Query(response.Headers.Location!, "code"));
    }
}

/// <summary>Registration that has expired its tokens (fake clock), and the off and open modes.</summary>
public sealed class OAuthRegistrationModeTests
{
    [Fact]
    public async Task Expired_initial_and_registration_access_tokens_are_refused()
    {
        await using var app = GrantexApp.With(new GrantexAppOptions { FakeTime = true });
        await app.InitializeAsync();
        var s = await OAuthScenario.CreateAsync(app);
        var token = await s.RegistrationTokenAsync(new { expiresIn = "1h", maxUses = 5 });
        var registered = await ApiClient.ExpectAsync(await s.RegisterRawAsync(token, new { redirect_uris = new[] { "https://a.example/cb" }, token_endpoint_auth_method = "none" }), HttpStatusCode.Created);
        app.Time.Advance(TimeSpan.FromHours(2));
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync(token, new { redirect_uris = new[] { "https://a.example/cb" } }), HttpStatusCode.Unauthorized, "invalid_token");

        app.Time.Advance(TimeSpan.FromDays(91));
        using var http = s.Anonymous();
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/oauth/register/{registered["client_id"]}");
        read.Headers.Authorization = new("Bearer", (string)registered["registration_access_token"]!);
        await OAuthScenario.ExpectOAuthErrorAsync(await http.SendAsync(read), HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Off_mode_refuses_and_hides_the_endpoint()
    {
        await using var app = GrantexApp.With(new GrantexAppOptions { Settings = new Dictionary<string, string?> { ["Grantex:OAuth:Registration"] = "Off" } });
        await app.InitializeAsync();
        var s = await OAuthScenario.CreateAsync(app);
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync(await s.RegistrationTokenAsync(), new { redirect_uris = new[] { "https://a.example/cb" } }),
            HttpStatusCode.Forbidden, "access_denied");
        var metadata = await ApiClient.ExpectAsync(await s.Anonymous().GetAsync("/.well-known/oauth-authorization-server"), HttpStatusCode.OK);
        Assert.Null(metadata["registration_endpoint"]);
    }

    [Fact]
    public async Task Open_mode_files_anonymous_clients_under_the_configured_developer()
    {
        await using var app = GrantexApp.With(new GrantexAppOptions { Settings = new Dictionary<string, string?> { ["Grantex:OAuth:Registration"] = "Open", ["Grantex:OAuth:OpenRegistrationDeveloperId"] = "dev_open" } });
        await app.InitializeAsync();
        var s = await OAuthScenario.CreateAsync(app);
        // The configured developer does not exist yet: registration says so instead of creating an orphan.
        await OAuthScenario.ExpectOAuthErrorAsync(await s.RegisterRawAsync(null, new { redirect_uris = new[] { "https://a.example/cb" } }), HttpStatusCode.InternalServerError, "server_error");

        // Once it exists, anyone may register without a token, and the client is that developer's agent.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync())
        {
            db.Developers.Add(new Developer { Id = "dev_open", Name = "Open MCP", Mode = DeveloperMode.Live, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var registered = await ApiClient.ExpectAsync(await s.RegisterRawAsync(null, new { redirect_uris = new[] { "http://127.0.0.1:1234/cb" }, token_endpoint_auth_method = "none" }),
            HttpStatusCode.Created);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync())
        {
            var agent = await db.Agents.SingleAsync(a => a.Id == (string)registered["client_id"]!);
            Assert.Equal("dev_open", agent.DeveloperId);
        }
    }
}
