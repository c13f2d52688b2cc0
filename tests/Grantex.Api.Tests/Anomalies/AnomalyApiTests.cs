using System.Net;
using Grantex.Testing;

namespace Grantex.Api.Tests.Anomalies;

/// <summary>The anomaly endpoints (wire format §7.3): the clients' cases, the object's shape, filters, acknowledgement and bad input.</summary>
public sealed class AnomalyApiTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task the_clients_cases_detect_without_a_body_list_and_acknowledge_an_unknown_id()
    {
        var api = await ApiClient.CreateAsync(factory);

        var detected = await ApiClient.ExpectAsync(await api.PostAsync("/v1/anomalies/detect", null), HttpStatusCode.OK);
        Assert.True(DateTime.TryParse((string?)detected["detectedAt"], out _));
        Assert.Equal(0, (int)detected["total"]!);
        Assert.Equal(0, (int)detected["autoRevokedGrants"]!);
        Assert.Empty(detected["anomalies"]!.AsArray());

        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/anomalies"), HttpStatusCode.OK);
        Assert.Empty(list["anomalies"]!.AsArray());
        Assert.Equal(0, (int)list["total"]!);

        var missing = await ApiClient.ExpectErrorAsync(await api.Http.PatchAsync("/v1/anomalies/nonexistent-id/acknowledge", null), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("Anomaly not found", (string?)missing["message"]);
    }

    [Fact]
    public async Task a_detected_anomaly_has_the_reference_shape_and_is_acknowledged_with_who_and_a_note()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agentId = await api.CreateAgentAsync();
        var grant = await api.GrantAsync(agentId, ["read"]);

        var detected = await ApiClient.ExpectAsync(await api.PostAsync("/v1/anomalies/detect", null), HttpStatusCode.OK);
        var anomaly = detected["anomalies"]!.AsArray().Single(a => (string?)a!["type"] == "new_principal")!.AsObject();
        Assert.Equal(detected["anomalies"]!.AsArray().Count, (int)detected["total"]!);
        var id = (string)anomaly["id"]!;
        Assert.StartsWith("anm_", id);
        Assert.Equal(["id", "type", "severity", "agentId", "principalId", "description", "metadata", "detectedAt", "acknowledgedAt"], anomaly.Select(p => p.Key).Take(9));
        Assert.Equal(("low", agentId, "alice"), ((string?)anomaly["severity"], (string?)anomaly["agentId"], (string?)anomaly["principalId"]));
        Assert.Equal(24, (int)anomaly["metadata"]!["windowHours"]!);
        Assert.Null(anomaly["acknowledgedAt"]);
        Assert.Equal((string?)grant["grantId"], (string?)anomaly["grantIds"]![0]);

        // Detecting again finds the same open anomaly: no duplicate.
        var again = await ApiClient.ExpectAsync(await api.PostAsync("/v1/anomalies/detect", null), HttpStatusCode.OK);
        Assert.Equal(id, (string?)again["anomalies"]!.AsArray().Single(a => (string?)a!["type"] == "new_principal")!["id"]);
        Assert.Equal(1, (int)(await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/anomalies?type=new_principal"), HttpStatusCode.OK))["total"]!);

        var acknowledged = await ApiClient.ExpectAsync(await api.PatchAsync($"/v1/anomalies/{id}/acknowledge", new { notes = "Alice is a new customer." }), HttpStatusCode.OK);
        Assert.NotNull((string?)acknowledged["acknowledgedAt"]);
        Assert.Equal("Alice is a new customer.", (string?)acknowledged["notes"]);
        Assert.StartsWith("api-key:", (string?)acknowledged["acknowledgedBy"]);

        var open = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/anomalies?unacknowledged=true"), HttpStatusCode.OK);
        Assert.DoesNotContain(open["anomalies"]!.AsArray(), a => (string?)a!["id"] == id);
        var closed = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/anomalies?unacknowledged=false&severity=low&agentId={agentId}"), HttpStatusCode.OK);
        Assert.Equal(id, (string?)closed["anomalies"]!.AsArray().Single()!["id"]);
        Assert.Empty((await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/anomalies?severity=high"), HttpStatusCode.OK))["anomalies"]!.AsArray());

        var audit = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries?action=anomaly.acknowledged"), HttpStatusCode.OK);
        Assert.Single(audit["entries"]!.AsArray());
    }

    [Fact]
    public async Task the_list_is_newest_first_and_pages_with_a_cursor()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agentId = await api.CreateAgentAsync();
        foreach (var principal in new[] { "p1", "p2", "p3" })
        {
            var code = (string)(await ApiClient.ExpectAsync(await api.PostAsync("/v1/authorize", new { agentId, principalId = principal, scopes = new[] { "read" } }), HttpStatusCode.Created))["code"]!;
            await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code, agentId }), HttpStatusCode.Created);
        }

        await ApiClient.ExpectAsync(await api.PostAsync("/v1/anomalies/detect", null), HttpStatusCode.OK);

        var first = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/anomalies?type=new_principal&pageSize=2"), HttpStatusCode.OK);
        Assert.Equal(3, (int)first["total"]!);
        Assert.Equal(2, first["anomalies"]!.AsArray().Count);
        var second = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/anomalies?type=new_principal&pageSize=2&cursor={first["nextCursor"]}"), HttpStatusCode.OK);
        Assert.Single(second["anomalies"]!.AsArray());
        Assert.Null(second["nextCursor"]);
        var all = first["anomalies"]!.AsArray().Concat(second["anomalies"]!.AsArray()).Select(a => ((string)a!["detectedAt"]!, (string)a["id"]!)).ToList();
        Assert.Equal(all.OrderByDescending(a => a.Item1, StringComparer.Ordinal).ThenByDescending(a => a.Item2, StringComparer.Ordinal), all);
        Assert.Equal(3, all.Select(a => a.Item2).Distinct().Count());
    }

    [Theory]
    [InlineData("type=bogus", "type")]
    [InlineData("severity=critical", "severity")]
    [InlineData("unacknowledged=yes", "unacknowledged")]
    [InlineData("since=yesterday", "since")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("cursor=%21%21", "cursor")]
    public async Task bad_filters_are_refused_naming_the_field(string query, string field)
    {
        var api = await ApiClient.CreateAsync(factory);
        var error = await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/anomalies?" + query), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal([field], error["fields"]!.AsArray().Select(f => (string)f!));
    }

    [Fact]
    public async Task bad_notes_are_refused_and_another_developers_anomaly_is_not_found()
    {
        var owner = await ApiClient.CreateAsync(factory);
        var other = await ApiClient.CreateAsync(factory);
        await owner.GrantAsync(await owner.CreateAgentAsync(), ["read"]);
        var detected = await ApiClient.ExpectAsync(await owner.PostAsync("/v1/anomalies/detect", null), HttpStatusCode.OK);
        var id = (string)detected["anomalies"]![0]!["id"]!;

        var tooLong = await ApiClient.ExpectErrorAsync(await owner.PatchAsync($"/v1/anomalies/{id}/acknowledge", new { notes = new string('x', 1001) }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal(["notes"], tooLong["fields"]!.AsArray().Select(f => (string)f!));
        await ApiClient.ExpectErrorAsync(await owner.PatchAsync($"/v1/anomalies/{id}/acknowledge", new { notes = 42 }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await other.PatchAsync($"/v1/anomalies/{id}/acknowledge", new { }), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Empty((await ApiClient.ExpectAsync(await other.Http.GetAsync("/v1/anomalies"), HttpStatusCode.OK))["anomalies"]!.AsArray());

        var still = await ApiClient.ExpectAsync(await owner.Http.GetAsync("/v1/anomalies?unacknowledged=true"), HttpStatusCode.OK);
        Assert.Contains(still["anomalies"]!.AsArray(), a => (string?)a!["id"] == id);
    }

    [Fact]
    public async Task every_anomaly_route_needs_an_api_key()
    {
        using var anonymous = factory.CreateClient();
        await ApiClient.ExpectErrorAsync(await anonymous.PostAsync("/v1/anomalies/detect", null), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ApiClient.ExpectErrorAsync(await anonymous.GetAsync("/v1/anomalies"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ApiClient.ExpectErrorAsync(await anonymous.PatchAsync("/v1/anomalies/anm_x/acknowledge", null), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }
}
