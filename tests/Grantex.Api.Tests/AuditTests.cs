using System.Net;
using Grantex.Testing;
using Microsoft.Data.Sqlite;

namespace Grantex.Api.Tests;

public sealed class AuditTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    private static object Entry(string action = "email.read", object? metadata = null, string? status = null) => new
    {
        agentId = "ag_1",
        agentDid = "did:grantex:ag_1",
        grantId = "grnt_1",
        principalId = "alice",
        action,
        metadata = metadata ?? new { },
        status,
    };

    [Fact]
    public async Task consecutive_log_calls_are_linked_by_hash()
    {
        var api = await ApiClient.CreateAsync(factory);
        var first = await ApiClient.ExpectAsync(await api.PostAsync("/v1/audit/log", Entry()), HttpStatusCode.Created);
        var second = await ApiClient.ExpectAsync(await api.PostAsync("/v1/audit/log", Entry("email.sent", new { to = "bob", size = 3 }, "failure")), HttpStatusCode.Created);
        Assert.StartsWith("alog_", (string?)first["entryId"]);
        Assert.Matches("^[a-f0-9]{64}$", (string)first["hash"]!);
        Assert.True(first.ContainsKey("prevHash"));
        Assert.Equal((string?)first["hash"], (string?)second["prevHash"]);
        Assert.Equal("failure", (string?)second["status"]);
        Assert.Equal(3, (int)second["metadata"]!["size"]!);
    }

    [Theory]
    [InlineData("{\"agentId\":\"a\"}")]
    [InlineData("{\"agentId\":\"a\",\"agentDid\":\"d\",\"grantId\":\"g\",\"principalId\":\"p\",\"action\":\"x\",\"status\":\"maybe\"}")]
    [InlineData("{\"agentId\":\"a\",\"agentDid\":\"d\",\"grantId\":\"g\",\"principalId\":\"p\",\"action\":\"x\",\"metadata\":[1,2]}")]
    [InlineData("{\"agentId\":\"a\",\"agentDid\":\"d\",\"grantId\":\"g\",\"principalId\":\"p\",\"action\":\"x\",\"metadata\":\"text\"}")]
    public async Task invalid_entries_are_refused_and_the_chain_does_not_grow(string json)
    {
        var api = await ApiClient.CreateAsync(factory);
        var before = (await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries"), HttpStatusCode.OK))["entries"]!.AsArray().Count;
        var response = await api.Http.PostAsync("/v1/audit/log", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await ApiClient.ExpectErrorAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        var after = (await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries"), HttpStatusCode.OK))["entries"]!.AsArray().Count;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task entries_are_listed_in_chain_order_filtered_and_read_by_id()
    {
        var api = await ApiClient.CreateAsync(factory);
        var a = await ApiClient.ExpectAsync(await api.PostAsync("/v1/audit/log", Entry("one")), HttpStatusCode.Created);
        await api.PostAsync("/v1/audit/log", Entry("two"));
        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries?grantId=grnt_1"), HttpStatusCode.OK);
        Assert.Equal(["one", "two"], list["entries"]!.AsArray().Select(e => (string)e!["action"]!));
        var one = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/audit/{a["entryId"]}"), HttpStatusCode.OK);
        Assert.Equal((string?)a["entryId"], (string?)one["entryId"]);
        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/audit/alog_missing"), HttpStatusCode.NotFound, "NOT_FOUND");
        var other = await ApiClient.CreateAsync(factory);
        await ApiClient.ExpectErrorAsync(await other.Http.GetAsync($"/v1/audit/{a["entryId"]}"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task entries_cannot_be_changed_or_deleted_through_the_api()
    {
        var api = await ApiClient.CreateAsync(factory);
        var entry = await ApiClient.ExpectAsync(await api.PostAsync("/v1/audit/log", Entry()), HttpStatusCode.Created);
        var delete = await api.Http.DeleteAsync($"/v1/audit/{entry["entryId"]}");
        var put = await api.Http.PutAsync($"/v1/audit/{entry["entryId"]}", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains(delete.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        Assert.Contains(put.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        Assert.NotNull((await ApiClient.JsonAsync(delete))["code"]);
        await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/audit/{entry["entryId"]}"), HttpStatusCode.OK);
    }

    [SqliteFact]
    public async Task verify_reports_an_intact_chain_and_names_the_first_tampered_entry()
    {
        var api = await ApiClient.CreateAsync(factory);
        var entries = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            entries.Add((string)(await ApiClient.ExpectAsync(await api.PostAsync("/v1/audit/log", Entry("step" + i)), HttpStatusCode.Created))["entryId"]!);
        }

        var intact = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/verify"), HttpStatusCode.OK);
        Assert.True((bool)intact["valid"]!);
        Assert.True((long)intact["checkedEntries"]! >= 6);

        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_entries SET \"Action\" = 'step-forged' WHERE \"Id\" = $id";
            command.Parameters.AddWithValue("$id", entries[2]);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var broken = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/verify"), HttpStatusCode.OK);
        Assert.False((bool)broken["valid"]!);
        Assert.Equal(entries[2], (string?)broken["firstBrokenAt"]);
        Assert.Equal("content", (string?)broken["reason"]);
    }

    [Fact]
    public async Task protocol_events_are_recorded_in_the_developers_chain()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var grant = await api.GrantAsync(agent);
        await api.Http.DeleteAsync($"/v1/grants/{grant["grantId"]}");
        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/audit/entries?grantId={grant["grantId"]}"), HttpStatusCode.OK);
        Assert.Equal(["grant.created", "grant.revoked"], list["entries"]!.AsArray().Select(e => (string)e!["action"]!));
        Assert.True((bool)(await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/verify"), HttpStatusCode.OK))["valid"]!);
    }
}
