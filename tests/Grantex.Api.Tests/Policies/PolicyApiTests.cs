using System.Net;
using System.Text;
using Grantex.Core.Persistence;
using Grantex.Core.Policies;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Policies;

/// <summary>The policy endpoints: CRUD in the reference shape, tenant isolation, bad input, the cap and the audit of changes.</summary>
public sealed class PolicyApiTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task a_policy_is_created_listed_read_changed_and_deleted_in_the_reference_shape()
    {
        var api = await ApiClient.CreateAsync(factory);

        var created = await ApiClient.ExpectAsync(await api.PostAsync("/v1/policies", new { name = "Read only", effect = "allow", scopes = new[] { "read" } }), HttpStatusCode.Created);
        var id = (string)created["id"]!;
        Assert.StartsWith("pol_", id);
        Assert.Equal(30, id.Length);
        Assert.Equal("Read only", (string?)created["name"]);
        Assert.Equal("allow", (string?)created["effect"]);
        Assert.Equal(0, (int)created["priority"]!);
        Assert.True(created.ContainsKey("agentId") && created["agentId"] is null);
        Assert.True(created.ContainsKey("timeOfDayStart") && created["timeOfDayStart"] is null);
        Assert.Equal(["read"], created["scopes"]!.AsArray().Select(s => (string)s!));

        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/policies"), HttpStatusCode.OK);
        Assert.Equal(1, (int)list["total"]!);
        Assert.Equal(id, (string?)list["policies"]![0]!["id"]);

        var one = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/policies/{id}"), HttpStatusCode.OK);
        Assert.Equal(id, (string?)one["id"]);

        var patched = await ApiClient.ExpectAsync(await api.PatchAsync($"/v1/policies/{id}", new { effect = "deny" }), HttpStatusCode.OK);
        Assert.Equal("deny", (string?)patched["effect"]);
        Assert.Equal("Read only", (string?)patched["name"]);
        Assert.Equal(["read"], patched["scopes"]!.AsArray().Select(s => (string)s!));

        var cleared = await ApiClient.ExpectAsync(await api.PatchAsync($"/v1/policies/{id}", new { scopes = (string[]?)null, priority = 7 }), HttpStatusCode.OK);
        Assert.Null(cleared["scopes"]);
        Assert.Equal(7, (int)cleared["priority"]!);

        var deleted = await api.Http.DeleteAsync($"/v1/policies/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync($"/v1/policies/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await api.Http.DeleteAsync($"/v1/policies/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task the_list_is_ordered_by_priority_then_age()
    {
        var api = await ApiClient.CreateAsync(factory);
        var low = await PolicyApi.CreateAsync(api, new { name = "low", effect = "allow", priority = -5 });
        var high = await PolicyApi.CreateAsync(api, new { name = "high", effect = "deny", priority = 50 });
        var mid1 = await PolicyApi.CreateAsync(api, new { name = "mid1", effect = "allow", priority = 10 });
        var mid2 = await PolicyApi.CreateAsync(api, new { name = "mid2", effect = "allow", priority = 10 });

        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/policies"), HttpStatusCode.OK);
        Assert.Equal([high, mid1, mid2, low], list["policies"]!.AsArray().Select(p => (string)p!["id"]!));
    }

    [Fact]
    public async Task another_developers_policy_is_not_found_for_every_verb()
    {
        var owner = await ApiClient.CreateAsync(factory);
        var stranger = await ApiClient.CreateAsync(factory, name: "Stranger");
        var id = await PolicyApi.CreateAsync(owner, new { name = "Mine", effect = "deny" });

        await ApiClient.ExpectErrorAsync(await stranger.Http.GetAsync($"/v1/policies/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await stranger.PatchAsync($"/v1/policies/{id}", new { effect = "allow" }), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await stranger.Http.DeleteAsync($"/v1/policies/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        var list = await ApiClient.ExpectAsync(await stranger.Http.GetAsync("/v1/policies"), HttpStatusCode.OK);
        Assert.Equal(0, (int)list["total"]!);

        var mine = await ApiClient.ExpectAsync(await owner.Http.GetAsync($"/v1/policies/{id}"), HttpStatusCode.OK);
        Assert.Equal("deny", (string?)mine["effect"]);

        // The stranger's own authorizations are not touched by the owner's deny-everything policy.
        var agent = await stranger.CreateAgentAsync();
        Assert.NotNull((await stranger.AuthorizeAsync(agent))["code"]);
    }

    [Fact]
    public async Task policies_need_an_api_key()
    {
        var anonymous = factory.CreateClient();
        await ApiClient.ExpectErrorAsync(await anonymous.GetAsync("/v1/policies"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ApiClient.ExpectErrorAsync(await anonymous.PostAsync("/v1/policies/evaluate", null), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"effect":"allow"}""", "name and effect" },
        { """{"name":"x"}""", "name and effect" },
        { """{"name":"x","effect":"maybe"}""", "effect" },
        { """{"name":"   ","effect":"allow"}""", "name" },
        { "{\"name\":\"" + new string('n', 201) + "\",\"effect\":\"allow\"}", "name" },
        { """{"name":"x","effect":"allow","priority":1000000000}""", "priority" },
        { """{"name":"x","effect":"allow","priority":1.5}""", "priority" },
        { """{"name":"x","effect":"allow","priority":"high"}""", "priority" },
        { """{"name":"x","effect":"allow","scopes":[]}""", "scopes" },
        { """{"name":"x","effect":"allow","scopes":[""]}""", "scope" },
        { """{"name":"x","effect":"allow","scopes":"read"}""", "scopes" },
        { """{"name":"x","effect":"allow","agentId":"ag_01NOTANAGENTOFMINE0000000000"}""", "agentId" },
        { """{"name":"x","effect":"allow","agentId":""}""", "agentId" },
        { """{"name":"x","effect":"allow","principalId":""}""", "principalId" },
        { """{"name":"x","effect":"allow","timeOfDayStart":"9:00","timeOfDayEnd":"17:00"}""", "timeOfDayStart" },
        { """{"name":"x","effect":"allow","timeOfDayStart":"09:00","timeOfDayEnd":"24:00"}""", "timeOfDayEnd" },
        { """{"name":"x","effect":"allow","timeOfDayStart":"09:60","timeOfDayEnd":"17:00"}""", "timeOfDayStart" },
        { """{"name":"x","effect":"allow","timeOfDayStart":"09:00"}""", "timeOfDayEnd" },
        { """{"name":"x","effect":"allow","timeOfDayStart":"09:00","timeOfDayEnd":"09:00"}""", "empty" },
        { """{"name":"x","effect":"allow","timeOfDayStart":"09:00","timeOfDayEnd":"17:00","timeZone":"Mars/Olympus_Mons"}""", "timeZone" },
        { """{"name":"x","effect":"allow","timeZone":"Europe/Paris"}""", "timeZone" },
        { """{"name":"x","effect":"allow","timeOfDayStart":9}""", "timeOfDayStart" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task bad_input_is_a_400_naming_the_field_and_nothing_is_stored(string json, string field)
    {
        var api = await ApiClient.CreateAsync(factory);

        var response = await api.Http.PostAsync("/v1/policies", new StringContent(json, Encoding.UTF8, "application/json"));

        var body = await ApiClient.ExpectErrorAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains(field, (string)body["message"]!, StringComparison.Ordinal);
        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/policies"), HttpStatusCode.OK);
        Assert.Equal(0, (int)list["total"]!);
        var audit = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/entries?action=policy.created"), HttpStatusCode.OK);
        Assert.Empty(audit["entries"]!.AsArray());
    }

    [Fact]
    public async Task the_thousand_and_first_policy_is_refused_with_402_and_not_stored()
    {
        var api = await ApiClient.CreateAsync(factory);
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync())
        {
            var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            db.Policies.AddRange(Enumerable.Range(0, PolicyRules.MaxPerDeveloper).Select(i => new Policy
            {
                Id = $"pol_{i:D26}", DeveloperId = api.DeveloperId, Name = $"p{i}", Effect = PolicyEffect.Allow, CreatedAt = at, UpdatedAt = at,
                PrincipalId = "nobody",
            }));
            await db.SaveChangesAsync();
        }

        var body = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/policies", new { name = "one too many", effect = "deny" }), HttpStatusCode.PaymentRequired, "PLAN_LIMIT_EXCEEDED");
        Assert.Contains("1000", (string)body["message"]!, StringComparison.Ordinal);
        var list = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/policies"), HttpStatusCode.OK);
        Assert.Equal(PolicyRules.MaxPerDeveloper, (int)list["total"]!);
    }

    [Fact]
    public async Task a_bad_patch_changes_nothing_and_a_window_is_checked_against_the_stored_bound()
    {
        var api = await ApiClient.CreateAsync(factory);
        var id = await PolicyApi.CreateAsync(api, new { name = "Nights", effect = "deny", timeOfDayStart = "22:00", timeOfDayEnd = "06:00" });

        var body = await ApiClient.ExpectErrorAsync(await api.PatchAsync($"/v1/policies/{id}", new { name = "Renamed", timeOfDayEnd = (string?)null }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("timeOfDayEnd", (string)body["message"]!, StringComparison.Ordinal);
        await ApiClient.ExpectErrorAsync(await api.PatchAsync($"/v1/policies/{id}", new { timeOfDayEnd = "22:00" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(await api.PatchAsync($"/v1/policies/{id}", new { effect = "auto_approve" }), HttpStatusCode.BadRequest, "BAD_REQUEST");

        var stored = await ApiClient.ExpectAsync(await api.Http.GetAsync($"/v1/policies/{id}"), HttpStatusCode.OK);
        Assert.Equal("Nights", (string?)stored["name"]);
        Assert.Equal("06:00", (string?)stored["timeOfDayEnd"]);

        var both = await ApiClient.ExpectAsync(await api.PatchAsync($"/v1/policies/{id}", new { timeOfDayStart = (string?)null, timeOfDayEnd = (string?)null }), HttpStatusCode.OK);
        Assert.Null(both["timeOfDayStart"]);
        Assert.Null(both["timeOfDayEnd"]);
    }

    [Fact]
    public async Task a_patch_or_delete_without_a_body_is_accepted()
    {
        var api = await ApiClient.CreateAsync(factory);
        var id = await PolicyApi.CreateAsync(api, new { name = "Keep", effect = "allow" });

        var patched = await ApiClient.ExpectAsync(await api.Http.PatchAsync($"/v1/policies/{id}", null), HttpStatusCode.OK);
        Assert.Equal("Keep", (string?)patched["name"]);
    }

    [Fact]
    public async Task changes_are_audited_with_the_policy_before_and_after()
    {
        var api = await ApiClient.CreateAsync(factory);
        var id = await PolicyApi.CreateAsync(api, new { name = "Audited", effect = "allow", scopes = new[] { "read" } });
        await ApiClient.ExpectAsync(await api.PatchAsync($"/v1/policies/{id}", new { effect = "deny", name = "Audited 2" }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await api.Http.DeleteAsync($"/v1/policies/{id}")).StatusCode);

        var created = await PolicyApi.SingleEntryAsync(api, "policy.created");
        Assert.Null(created["metadata"]!["before"]);
        Assert.Equal("allow", (string?)created["metadata"]!["after"]!["effect"]);
        var updated = await PolicyApi.SingleEntryAsync(api, "policy.updated");
        Assert.Equal("allow", (string?)updated["metadata"]!["before"]!["effect"]);
        Assert.Equal("Audited", (string?)updated["metadata"]!["before"]!["name"]);
        Assert.Equal("deny", (string?)updated["metadata"]!["after"]!["effect"]);
        Assert.Equal("Audited 2", (string?)updated["metadata"]!["after"]!["name"]);
        var deleted = await PolicyApi.SingleEntryAsync(api, "policy.deleted");
        Assert.Equal(id, (string?)deleted["metadata"]!["before"]!["id"]);
        Assert.Null(deleted["metadata"]!["after"]);
        var chain = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/verify"), HttpStatusCode.OK);
        Assert.True((bool)chain["valid"]!);
    }
}
