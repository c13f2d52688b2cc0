using System.Net;
using System.Net.Http.Headers;
using Grantex.Testing;

namespace Grantex.Api.Tests.Hardening;

/// <summary>A key rotates exactly once: of many parallel rotations with one key, one wins and every other is refused.</summary>
public sealed class ApiKeyRotationRaceTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    private const int Parallel = 16;

    [Fact]
    public async Task sixteen_parallel_rotations_with_one_key_give_exactly_one_working_key_and_never_a_dead_one()
    {
        var api = await ApiClient.CreateAsync(factory);
        await api.CreateAgentAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => api.PostAsync("/v1/keys/rotate", null)));

        var ok = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        var winner = Assert.Single(ok);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            // Refused either inside the write (409) or, when it arrived after the commit, at authentication (401).
            Assert.Contains(refused.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.Unauthorized });
        }

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        var conflict = await ApiClient.ExpectErrorAsync(responses.First(r => r.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Contains("already been rotated", (string?)conflict["message"]);

        var newKey = (string)(await ApiClient.JsonAsync(winner))["apiKey"]!;
        using var fresh = factory.CreateClient();
        fresh.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", newKey);
        var me = await ApiClient.ExpectAsync(await fresh.GetAsync("/v1/me"), HttpStatusCode.OK);
        Assert.Equal(api.DeveloperId, (string?)me["developerId"]);
        var agents = await ApiClient.ExpectAsync(await fresh.GetAsync("/v1/agents"), HttpStatusCode.OK);
        Assert.Single(agents["agents"]!.AsArray());
        await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        var audit = await ApiClient.ExpectAsync(await fresh.GetAsync("/v1/audit/entries?action=api_key.rotated"), HttpStatusCode.OK);
        Assert.Single(audit["entries"]!.AsArray());
        var refusals = await ApiClient.ExpectAsync(await fresh.GetAsync("/v1/audit/entries?action=api_key.rotation_refused"), HttpStatusCode.OK);
        Assert.Equal(responses.Count(r => r.StatusCode == HttpStatusCode.Conflict), refusals["entries"]!.AsArray().Count);
    }

    [Fact]
    public async Task the_new_key_can_rotate_again_but_the_old_one_cannot()
    {
        var api = await ApiClient.CreateAsync(factory);
        var first = (string)(await ApiClient.ExpectAsync(await api.PostAsync("/v1/keys/rotate", null), HttpStatusCode.OK))["apiKey"]!;
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/keys/rotate", null), HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        using var next = factory.CreateClient();
        next.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first);
        var second = await ApiClient.ExpectAsync(await next.PostAsync("/v1/keys/rotate", null), HttpStatusCode.OK);
        Assert.NotEqual(first, (string?)second["apiKey"]);
    }
}
