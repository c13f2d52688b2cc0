using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Compliance.Tests.Infrastructure;
using Grantex.Core.Common;

namespace Grantex.Compliance.Tests;

/// <summary>The /v1/compliance endpoints (wire format §7.4 and our additions) through real HTTP.</summary>
public sealed class ComplianceApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "/v1/compliance/summary" },
        { "GET", "/v1/compliance/export/grants" },
        { "GET", "/v1/compliance/export/audit" },
        { "GET", "/v1/compliance/evidence-pack" },
        { "GET", "/v1/compliance/audit-pack" },
        { "GET", "/v1/compliance/checkpoints" },
        { "POST", "/v1/compliance/checkpoints" },
        { "GET", "/v1/compliance/checkpoints/ckpt_1" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task every_route_refuses_a_missing_or_unknown_api_key(string method, string path)
    {
        var anonymous = factory.CreateClient();
        var wrongKey = factory.CreateClient();
        wrongKey.DefaultRequestHeaders.Authorization = new("Bearer", "gx_test_this_key_does_not_exist_at_all");

        var none = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var wrong = await wrongKey.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("UNAUTHORIZED", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task the_summary_counts_agents_grants_entries_and_the_developers_own_policies()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        var (other, _) = await factory.DeveloperClientAsync("Other");
        foreach (var (c, name) in new[] { (client, "No writes"), (client, "Reads are fine"), (other, "Not mine") })
        {
            var created = await c.PostAsJsonAsync("/v1/policies", new { name, effect = name == "Reads are fine" ? "allow" : "deny", scopes = new[] { "write" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var (agentId, revokedGrant) = await ApiFactory.CreateGrantAsync(client);
        await ApiFactory.CreateGrantAsync(client, "user_2", agentId);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/grants/{revokedGrant}")).StatusCode);
        await ApiFactory.LogAsync(client, 2, status: "failure");
        await ApiFactory.LogAsync(client, 1, status: "blocked");

        var summary = await client.GetFromJsonAsync<JsonElement>("/v1/compliance/summary");

        Assert.Equal(TimeFormat.Iso(factory.Time.GetUtcNow().UtcDateTime), summary.GetProperty("generatedAt").GetString());
        Assert.False(summary.TryGetProperty("since", out _));
        Assert.Equal(1, summary.GetProperty("agents").GetProperty("total").GetInt32());
        Assert.Equal(1, summary.GetProperty("agents").GetProperty("active").GetInt32());
        var grants = summary.GetProperty("grants");
        Assert.Equal((2, 1, 1, 0), (grants.GetProperty("total").GetInt32(), grants.GetProperty("active").GetInt32(), grants.GetProperty("revoked").GetInt32(), grants.GetProperty("expired").GetInt32()));
        var audit = summary.GetProperty("auditEntries");
        Assert.Equal(2, audit.GetProperty("failure").GetInt64());
        Assert.Equal(1, audit.GetProperty("blocked").GetInt64());
        Assert.Equal(audit.GetProperty("total").GetInt64(), audit.GetProperty("success").GetInt64() + 3);
        Assert.Equal(2, summary.GetProperty("policies").GetProperty("total").GetInt32());
        Assert.Equal("enterprise", summary.GetProperty("plan").GetString());
    }

    [Fact]
    public async Task the_summary_window_counts_only_what_happened_inside_it_and_is_echoed()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        await ApiFactory.CreateGrantAsync(client);
        factory.Time.Advance(TimeSpan.FromDays(1));
        var since = TimeFormat.Iso(factory.Time.GetUtcNow().UtcDateTime);
        await ApiFactory.CreateGrantAsync(client, "user_2");
        await ApiFactory.LogAsync(client, 3);

        var summary = await client.GetFromJsonAsync<JsonElement>($"/v1/compliance/summary?since={since}");

        Assert.Equal(since, summary.GetProperty("since").GetString());
        Assert.Equal(1, summary.GetProperty("grants").GetProperty("total").GetInt32());
        Assert.Equal(2, summary.GetProperty("agents").GetProperty("total").GetInt32());
        Assert.True(summary.GetProperty("auditEntries").GetProperty("total").GetInt64() >= 3);
    }

    [Theory]
    [InlineData("/v1/compliance/summary?since=yesterday", "since must be an ISO-8601 time")]
    [InlineData("/v1/compliance/summary?until=2026-13-45", "until must be an ISO-8601 time")]
    [InlineData("/v1/compliance/summary?since=2026-03-02&until=2026-03-01", "since must not be later than until")]
    [InlineData("/v1/compliance/export/grants?status=success", "status must be one of active, revoked, expired")]
    [InlineData("/v1/compliance/export/audit?status=active", "status must be one of success, failure, blocked")]
    [InlineData("/v1/compliance/export/audit?format=xml", "format must be json or csv")]
    [InlineData("/v1/compliance/evidence-pack?framework=hipaa", "framework must be one of all, soc2, gdpr")]
    [InlineData("/v1/compliance/audit-pack?since=1", "since must be an ISO-8601 time")]
    [InlineData("/v1/compliance/checkpoints?pageSize=0", "pageSize must be between")]
    public async Task a_bad_filter_is_refused_with_a_message_naming_it(string url, string message)
    {
        var (client, _) = await factory.DeveloperClientAsync();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("BAD_REQUEST", body.GetProperty("code").GetString());
        Assert.Contains(message, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(body.TryGetProperty("requestId", out _));
    }

    [Fact]
    public async Task the_grant_export_lists_grants_newest_first_and_filters_by_status_and_agent()
    {
        var (client, developerId) = await factory.DeveloperClientAsync();
        var (agentA, first) = await ApiFactory.CreateGrantAsync(client);
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        var (agentB, second) = await ApiFactory.CreateGrantAsync(client, "user_2");
        await client.DeleteAsync($"/v1/grants/{first}");

        var all = await client.GetFromJsonAsync<JsonElement>("/v1/compliance/export/grants");
        var revoked = await client.GetFromJsonAsync<JsonElement>("/v1/compliance/export/grants?status=revoked");
        var ofB = await client.GetFromJsonAsync<JsonElement>($"/v1/compliance/export/grants?agentId={agentB}");

        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.Equal([second, first], all.GetProperty("grants").EnumerateArray().Select(g => g.GetProperty("grantId").GetString()));
        var row = all.GetProperty("grants")[1];
        Assert.Equal(agentA, row.GetProperty("agentId").GetString());
        Assert.Equal(developerId, row.GetProperty("developerId").GetString());
        Assert.Equal("revoked", row.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, row.GetProperty("revokedAt").ValueKind);
        Assert.Equal(0, row.GetProperty("delegationDepth").GetInt32());
        Assert.Equal(["read"], row.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("grants")[0].GetProperty("revokedAt").ValueKind);
        Assert.Equal([first], revoked.GetProperty("grants").EnumerateArray().Select(g => g.GetProperty("grantId").GetString()));
        Assert.Equal(1, revoked.GetProperty("total").GetInt32());
        Assert.Equal([second], ofB.GetProperty("grants").EnumerateArray().Select(g => g.GetProperty("grantId").GetString()));
    }

    [Fact]
    public async Task the_grant_export_comes_as_csv_when_asked_by_parameter_or_accept_header()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        var (_, grantId) = await ApiFactory.CreateGrantAsync(client);

        var byParameter = await client.GetAsync("/v1/compliance/export/grants?format=csv");
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/compliance/export/grants");
        request.Headers.Accept.ParseAdd("text/csv");
        var byHeader = await client.SendAsync(request);

        Assert.Equal("text/csv", byParameter.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", byParameter.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await byParameter.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("grantId,agentId,principalId,developerId,scopes,status,issuedAt,expiresAt,revokedAt,delegationDepth,parentGrantId", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(grantId + ",", lines[1], StringComparison.Ordinal);
        Assert.Contains(",\"[\"\"read\"\"]\",active,", lines[1], StringComparison.Ordinal);
        Assert.Equal("text/csv", byHeader.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await byParameter.Content.ReadAsStringAsync(), await byHeader.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task the_audit_export_is_in_chain_order_and_filters_by_agent_status_and_window()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        var early = await ApiFactory.LogAsync(client, 2, agentId: "ag_x");
        factory.Time.Advance(TimeSpan.FromMinutes(5));
        var since = TimeFormat.Iso(factory.Time.GetUtcNow().UtcDateTime);
        var failed = await ApiFactory.LogAsync(client, 1, agentId: "ag_x", status: "failure");
        var other = await ApiFactory.LogAsync(client, 2, agentId: "ag_y");

        var all = await client.GetFromJsonAsync<JsonElement>("/v1/compliance/export/audit");
        var ofX = await client.GetFromJsonAsync<JsonElement>("/v1/compliance/export/audit?agentId=ag_x");
        var failures = await client.GetFromJsonAsync<JsonElement>("/v1/compliance/export/audit?status=failure");
        var windowed = await client.GetFromJsonAsync<JsonElement>($"/v1/compliance/export/audit?since={since}&agentId=ag_y");

        var ids = all.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entryId").GetString()).ToList();
        Assert.Equal(6, all.GetProperty("total").GetInt64()); // developer.created + 5
        Assert.Equal([.. early, .. failed, .. other], ids.Skip(1));
        var indexes = all.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("chainIndex").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), indexes);
        Assert.Equal([.. early, .. failed], ofX.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entryId").GetString()));
        Assert.Equal(failed, failures.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entryId").GetString()));
        Assert.Equal(other, windowed.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entryId").GetString()));
        var entry = all.GetProperty("entries")[1];
        foreach (var field in (string[])["entryId", "agentId", "agentDid", "grantId", "principalId", "developerId", "action", "metadata", "hash", "prevHash", "timestamp", "status"])
        {
            Assert.True(entry.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task the_audit_export_as_csv_escapes_cells_a_spreadsheet_would_run()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        await ApiFactory.LogAsync(client, 1, action: "=HYPERLINK(\"http://evil\")");

        var csv = await client.GetStringAsync("/v1/compliance/export/audit?format=csv");

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("entryId,chainIndex,timestamp,agentId,agentDid,grantId,principalId,developerId,action,status,metadata,prevHash,hash", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"{\"\"n\"\":0}\"", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_grant_export_window_is_inclusive_on_issued_at()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        var (agentId, early) = await ApiFactory.CreateGrantAsync(client);
        var issuedEarly = TimeFormat.Iso(factory.Time.GetUtcNow().UtcDateTime);
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        var (_, late) = await ApiFactory.CreateGrantAsync(client, "user_2", agentId);
        var issuedLate = TimeFormat.Iso(factory.Time.GetUtcNow().UtcDateTime);

        var untilEarly = await client.GetFromJsonAsync<JsonElement>($"/v1/compliance/export/grants?until={issuedEarly}");
        var sinceLate = await client.GetFromJsonAsync<JsonElement>($"/v1/compliance/export/grants?since={issuedLate}");
        var both = await client.GetFromJsonAsync<JsonElement>($"/v1/compliance/export/grants?since={issuedEarly}&until={issuedLate}&format=json");

        Assert.Equal([early], untilEarly.GetProperty("grants").EnumerateArray().Select(g => g.GetProperty("grantId").GetString()));
        Assert.Equal([late], sinceLate.GetProperty("grants").EnumerateArray().Select(g => g.GetProperty("grantId").GetString()));
        Assert.Equal(2, both.GetProperty("total").GetInt32());
    }
}
