using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Compliance.Tests.Infrastructure;
using Grantex.Core.Common;

namespace Grantex.Compliance.Tests;

/// <summary>Evidence over the API: the evidence pack, signed checkpoints, chain verification and audit packs.</summary>
public sealed class EvidenceApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task the_evidence_pack_has_the_reference_shape_and_reports_chain_integrity_with_the_checkpoint()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        await ApiFactory.CreateGrantAsync(client);
        await ApiFactory.LogAsync(client, 3);
        var checkpoint = await (await client.PostAsync("/v1/compliance/checkpoints", null)).Content.ReadFromJsonAsync<JsonElement>();

        var pack = await client.GetFromJsonAsync<JsonElement>("/v1/compliance/evidence-pack?framework=soc2");

        foreach (var key in (string[])["meta", "summary", "grants", "auditEntries", "policies", "chainIntegrity"])
        {
            Assert.True(pack.TryGetProperty(key, out _), key);
        }

        Assert.Equal("1.0", pack.GetProperty("meta").GetProperty("schemaVersion").GetString());
        Assert.Equal("soc2", pack.GetProperty("meta").GetProperty("framework").GetString());
        Assert.Equal("enterprise", pack.GetProperty("summary").GetProperty("plan").GetString());
        Assert.Single(pack.GetProperty("grants").EnumerateArray());
        Assert.Empty(pack.GetProperty("policies").EnumerateArray());
        var integrity = pack.GetProperty("chainIntegrity");
        Assert.True(integrity.GetProperty("valid").GetBoolean());
        Assert.Equal(pack.GetProperty("auditEntries").GetArrayLength(), integrity.GetProperty("checkedEntries").GetInt64());
        Assert.Equal(JsonValueKind.Null, integrity.GetProperty("firstBrokenAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, integrity.GetProperty("reason").ValueKind);
        var finding = Assert.Single(integrity.GetProperty("checkpoints").EnumerateArray());
        Assert.Equal(checkpoint.GetProperty("checkpointId").GetString(), finding.GetProperty("checkpointId").GetString());
        Assert.Equal("consistent", finding.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task the_evidence_pack_lists_the_developers_policies_in_the_wire_format_and_order()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        var (other, _) = await factory.DeveloperClientAsync("Other");
        await client.PostAsJsonAsync("/v1/policies", new { name = "Low", effect = "allow", priority = 1, scopes = new[] { "read" } });
        var high = await (await client.PostAsJsonAsync("/v1/policies", new { name = "High", effect = "deny", priority = 9, timeOfDayStart = "22:00", timeOfDayEnd = "06:00" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        await other.PostAsJsonAsync("/v1/policies", new { name = "Not mine", effect = "deny" });
        var listed = await client.GetFromJsonAsync<JsonElement>("/v1/policies");

        var pack = await client.GetFromJsonAsync<JsonElement>("/v1/compliance/evidence-pack");

        var policies = pack.GetProperty("policies");
        Assert.Equal(["High", "Low"], policies.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(2, pack.GetProperty("summary").GetProperty("policies").GetProperty("total").GetInt32());
        Assert.Equal(high.GetProperty("id").GetString(), policies[0].GetProperty("id").GetString());
        // The same objects GET /v1/policies answers, field for field.
        Assert.Equal(listed.GetProperty("policies").GetRawText(), policies.GetRawText());
    }

    [Fact]
    public async Task checkpoints_are_created_on_demand_listed_newest_first_and_private_to_their_developer()
    {
        var (client, developerId) = await factory.DeveloperClientAsync();
        var (stranger, _) = await factory.DeveloperClientAsync("Stranger");
        await ApiFactory.LogAsync(client, 2);
        var first = await client.PostAsync("/v1/compliance/checkpoints", null);
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        await ApiFactory.LogAsync(client, 1);
        var second = await (await client.PostAsync("/v1/compliance/checkpoints", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/v1/compliance/checkpoints/{created.GetProperty("checkpointId").GetString()}", first.Headers.Location?.OriginalString);
        Assert.Equal(developerId, created.GetProperty("developerId").GetString());
        Assert.Equal(3, created.GetProperty("count").GetInt64());
        Assert.Equal(4, second.GetProperty("count").GetInt64());
        var page = await client.GetFromJsonAsync<JsonElement>("/v1/compliance/checkpoints?pageSize=1");
        Assert.Equal(second.GetProperty("checkpointId").GetString(), page.GetProperty("checkpoints")[0].GetProperty("checkpointId").GetString());
        var next = await client.GetFromJsonAsync<JsonElement>($"/v1/compliance/checkpoints?pageSize=1&cursor={page.GetProperty("nextCursor").GetString()}");
        Assert.Equal(created.GetProperty("checkpointId").GetString(), next.GetProperty("checkpoints")[0].GetProperty("checkpointId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(first.Headers.Location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(first.Headers.Location)).StatusCode);
        Assert.Empty((await stranger.GetFromJsonAsync<JsonElement>("/v1/compliance/checkpoints")).GetProperty("checkpoints").EnumerateArray());
    }

    [Fact]
    public async Task audit_verify_compares_the_chain_with_the_latest_checkpoint()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        await ApiFactory.LogAsync(client, 2);
        var before = await client.GetFromJsonAsync<JsonElement>("/v1/audit/verify");
        var checkpoint = await (await client.PostAsync("/v1/compliance/checkpoints", null)).Content.ReadFromJsonAsync<JsonElement>();

        var after = await client.GetFromJsonAsync<JsonElement>("/v1/audit/verify");

        Assert.True(before.GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("checkpoint").ValueKind);
        Assert.True(after.GetProperty("valid").GetBoolean());
        Assert.Equal(3, after.GetProperty("checkedEntries").GetInt64());
        Assert.Equal(checkpoint.GetProperty("checkpointId").GetString(), after.GetProperty("checkpoint").GetProperty("checkpointId").GetString());
        Assert.Equal("consistent", after.GetProperty("checkpoint").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task the_audit_pack_downloads_as_one_zip_that_verifies_against_the_published_jwks()
    {
        var (client, developerId) = await factory.DeveloperClientAsync();
        await ApiFactory.CreateGrantAsync(client);
        await ApiFactory.LogAsync(client, 20);
        await client.PostAsync("/v1/compliance/checkpoints", null);
        var expected = (await client.GetFromJsonAsync<JsonElement>("/v1/compliance/summary")).GetProperty("auditEntries").GetProperty("total").GetInt64();

        var response = await client.GetAsync("/v1/compliance/audit-pack");
        var jwks = await factory.CreateClient().GetStringAsync("/.well-known/jwks.json");
        var pack = await response.Content.ReadAsByteArrayAsync();
        var verdict = await PackEditor.VerifyAsync(pack, jwks);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith($"grantex-audit-pack-{developerId}-", response.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        Assert.True(verdict.Intact, verdict.Summary);
        Assert.Equal(expected, verdict.Entries);
        Assert.Contains(verdict.Passed, p => p.Contains("consistent", StringComparison.Ordinal) || p.Contains("matches", StringComparison.Ordinal));
    }

    [Fact]
    public async Task an_audit_pack_for_a_window_holds_only_that_window()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        await ApiFactory.LogAsync(client, 3);
        factory.Time.Advance(TimeSpan.FromHours(1));
        var since = TimeFormat.Iso(factory.Time.GetUtcNow().UtcDateTime);
        var inside = await ApiFactory.LogAsync(client, 4);
        factory.Time.Advance(TimeSpan.FromHours(1));
        var until = TimeFormat.Iso(factory.Time.GetUtcNow().UtcDateTime.AddMilliseconds(-1));
        await ApiFactory.LogAsync(client, 2);

        var pack = await client.GetByteArrayAsync($"/v1/compliance/audit-pack?since={since}&until={until}");
        var verdict = await PackEditor.VerifyAsync(pack, await factory.CreateClient().GetStringAsync("/.well-known/jwks.json"));

        Assert.True(verdict.Intact, verdict.Summary);
        Assert.Equal(since, verdict.Manifest!.Since);
        Assert.Equal(until, verdict.Manifest.Until);
        Assert.Equal(inside, PackEditor.Lines(pack, "audit-entries.jsonl").Select(l => JsonDocument.Parse(l).RootElement.GetProperty("entryId").GetString()));
    }

    [Fact]
    public async Task the_evidence_pack_for_a_window_checks_the_chain_inside_it_without_the_first_link()
    {
        var (client, _) = await factory.DeveloperClientAsync();
        await ApiFactory.LogAsync(client, 2);
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        var since = TimeFormat.Iso(factory.Time.GetUtcNow().UtcDateTime);
        var inside = await ApiFactory.LogAsync(client, 3);

        var pack = await client.GetFromJsonAsync<JsonElement>($"/v1/compliance/evidence-pack?since={since}");

        Assert.Equal(since, pack.GetProperty("meta").GetProperty("since").GetString());
        Assert.Equal("all", pack.GetProperty("meta").GetProperty("framework").GetString());
        Assert.Equal(inside, pack.GetProperty("auditEntries").EnumerateArray().Select(e => e.GetProperty("entryId").GetString()));
        var integrity = pack.GetProperty("chainIntegrity");
        Assert.True(integrity.GetProperty("valid").GetBoolean());
        Assert.Equal(3, integrity.GetProperty("checkedEntries").GetInt64());
        Assert.False(integrity.GetProperty("firstLinkChecked").GetBoolean());
        Assert.Equal(3, integrity.GetProperty("first").GetProperty("chainIndex").GetInt64()); // developer.created, two before the window
    }
}
