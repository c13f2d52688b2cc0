using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Grantex.Testing;

namespace Grantex.Api.Tests.Principals;

/// <summary>Principal sessions and the principal endpoints (wire format §7.7), and the token-type confusions both ways.</summary>
public sealed class PrincipalSessionApiTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task the_reference_flow_session_lists_grants_and_audit_revokes_one_and_opens_nothing_else()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync("Trip Planner");
        var grant = await api.GrantAsync(agent);
        var grantId = (string)ApiClient.Payload((string)grant["grantToken"]!)["grnt"]!;

        var created = await ApiClient.ExpectAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice", expiresIn = "1h" }), HttpStatusCode.Created);
        var token = (string)created["sessionToken"]!;
        Assert.Contains("/permissions#session=", (string)created["dashboardUrl"]!, StringComparison.Ordinal);
        Assert.IsType<string>((string?)created["expiresAt"]);
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/principal-sessions", new { }), HttpStatusCode.BadRequest, "BAD_REQUEST");

        var person = Client(token);
        var grants = await ApiClient.ExpectAsync(await person.GetAsync("/v1/principal/grants"), HttpStatusCode.OK);
        Assert.Equal("alice", (string?)grants["principalId"]);
        var listed = Assert.Single(grants["grants"]!.AsArray())!;
        Assert.Equal(grantId, (string?)listed["grantId"]);
        Assert.Equal("Trip Planner", (string?)listed["agentName"]);
        Assert.Equal("active", (string?)listed["status"]);
        var audit = await ApiClient.ExpectAsync(await person.GetAsync("/v1/principal/audit"), HttpStatusCode.OK);
        var entries = audit["entries"]!.AsArray();
        Assert.Contains(entries, e => (string?)e!["action"] == "grant.created");
        Assert.All(entries, e => Assert.False(e!.AsObject().ContainsKey("hash")));

        var revoke = await person.DeleteAsync($"/v1/principal/grants/{grantId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.False(await api.VerifyAsync((string)grant["grantToken"]!));
        await ApiClient.ExpectErrorAsync(await person.DeleteAsync($"/v1/principal/grants/{grantId}"), HttpStatusCode.NotFound, "NOT_FOUND");

        await ApiClient.ExpectErrorAsync(await person.GetAsync("/v1/agents"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/permissions")).StatusCode);
    }

    [Fact]
    public async Task a_principal_without_active_grants_gets_404_and_a_long_lifetime_is_capped_at_24_hours()
    {
        var api = await ApiClient.CreateAsync(factory);
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "nobody" }), HttpStatusCode.NotFound, "NOT_FOUND");
        await api.GrantAsync(await api.CreateAgentAsync());
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice", expiresIn = "soon" }), HttpStatusCode.BadRequest, "BAD_REQUEST");

        var created = await ApiClient.ExpectAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice", expiresIn = "72h" }), HttpStatusCode.Created);

        var claims = ApiClient.Payload((string)created["sessionToken"]!);
        Assert.Equal(24 * 3600, (long)claims["exp"]! - (long)claims["iat"]!);
        Assert.Equal("principal_dashboard", (string?)claims["purpose"]);
        Assert.EndsWith("/permissions", (string)claims["aud"]!, StringComparison.Ordinal);
        Assert.False(claims.ContainsKey("agt"));
        Assert.Equal("gx-principal-session+jwt", (string?)Header((string)created["sessionToken"]!)["typ"]);
    }

    [Fact]
    public async Task session_tokens_and_other_credentials_never_cross()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var grant = await api.GrantAsync(agent);
        var grantToken = (string)grant["grantToken"]!;
        var session = (string)(await ApiClient.ExpectAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice" }), HttpStatusCode.Created))["sessionToken"]!;

        // API key, grant token, nothing, garbage on /v1/principal/* → 401.
        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/principal/grants"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ApiClient.ExpectErrorAsync(await Client(grantToken).GetAsync("/v1/principal/grants"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ApiClient.ExpectErrorAsync(await Client(grantToken).GetAsync("/v1/principal/audit"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var missing = await ApiClient.ExpectErrorAsync(await factory.CreateClient().GetAsync("/v1/principal/grants"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Missing session token", (string?)missing["message"]);
        await ApiClient.ExpectErrorAsync(await Client(session[..^4] + "AAAA").GetAsync("/v1/principal/grants"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var grantId = (string)ApiClient.Payload(grantToken)["grnt"]!;
        await ApiClient.ExpectErrorAsync(await api.Http.DeleteAsync($"/v1/principal/grants/{grantId}"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.True(await api.VerifyAsync(grantToken));

        // The session token as an API key (v1, SCIM token management), as a SCIM token, and as a grant token.
        await ApiClient.ExpectErrorAsync(await Client(session).GetAsync("/v1/agents"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ApiClient.ExpectErrorAsync(await Client(session).PostAsync("/v1/principal-sessions", null), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ScimClient.ExpectErrorAsync(await Client(session).GetAsync("/scim/v2/Users"), HttpStatusCode.Unauthorized, "unauthorized");
        Assert.False(await api.VerifyAsync(session));
        var grantVerify = await api.PostAsync("/v1/grants/verify", new { token = session });
        if (grantVerify.StatusCode == HttpStatusCode.OK)
        {
            Assert.False((bool)(await ApiClient.JsonAsync(grantVerify))["active"]!);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, grantVerify.StatusCode);
        }
    }

    [Fact]
    public async Task a_session_sees_only_its_own_principal_and_developer()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        await api.GrantAsync(agent);
        var bob = await ApiClient.ExpectAsync(await api.PostAsync("/v1/authorize", new { agentId = agent, principalId = "bob", scopes = new[] { "read" } }), HttpStatusCode.Created);
        var bobGrant = await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code = (string)bob["code"]!, agentId = agent }), HttpStatusCode.Created);
        var other = await ApiClient.CreateAsync(factory);
        var otherGrant = await other.GrantAsync(await other.CreateAgentAsync());
        var session = (string)(await ApiClient.ExpectAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice" }), HttpStatusCode.Created))["sessionToken"]!;
        var person = Client(session);

        var grants = (await ApiClient.ExpectAsync(await person.GetAsync("/v1/principal/grants"), HttpStatusCode.OK))["grants"]!.AsArray();
        Assert.Single(grants);
        foreach (var foreign in new[] { bobGrant, otherGrant })
        {
            var id = (string)ApiClient.Payload((string)foreign["grantToken"]!)["grnt"]!;
            await ApiClient.ExpectErrorAsync(await person.DeleteAsync($"/v1/principal/grants/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        }

        Assert.True(await api.VerifyAsync((string)bobGrant["grantToken"]!));
        Assert.True(await other.VerifyAsync((string)otherGrant["grantToken"]!));
        var audit = (await ApiClient.ExpectAsync(await person.GetAsync("/v1/principal/audit"), HttpStatusCode.OK))["entries"]!.AsArray();
        Assert.All(audit, e => Assert.Equal("alice", (string?)e!["principalId"]));
    }

    [Fact]
    public async Task a_session_stops_working_when_the_principal_is_deactivated_over_scim()
    {
        var api = await ApiClient.CreateAsync(factory);
        await api.GrantAsync(await api.CreateAgentAsync());
        var scim = await ScimClient.CreateAsync(factory, api);
        var id = (string)(await scim.CreateUserAsync("alice"))["id"]!;
        var person = Client((string)(await ApiClient.ExpectAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice" }), HttpStatusCode.Created))["sessionToken"]!);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/v1/principal/grants")).StatusCode);

        await scim.SetActiveAsync(id, false);

        await ApiClient.ExpectErrorAsync(await person.GetAsync("/v1/principal/grants"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    private HttpClient Client(string bearer)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    private static JsonObject Header(string jwt)
    {
        var part = jwt.Split('.')[0];
        var padded = part.Replace('-', '+').Replace('_', '/').PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(padded))!.AsObject();
    }
}

/// <summary>Session lifetimes on a clock the test moves.</summary>
public sealed class PrincipalSessionExpiryTests : IAsyncLifetime
{
    private readonly GrantexApp _app = GrantexApp.With(new GrantexAppOptions { FakeTime = true });

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task a_session_works_until_its_expiry_and_is_401_from_then_on()
    {
        var api = await ApiClient.CreateAsync(_app);
        await api.GrantAsync(await api.CreateAgentAsync());
        var created = await ApiClient.ExpectAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice", expiresIn = "30m" }), HttpStatusCode.Created);
        var person = _app.CreateClient();
        person.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)created["sessionToken"]!);

        _app.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/v1/principal/grants")).StatusCode);

        _app.Time.Advance(TimeSpan.FromMinutes(1));
        var expired = await ApiClient.ExpectErrorAsync(await person.GetAsync("/v1/principal/grants"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Invalid or expired session token", (string?)expired["message"]);
    }
}
