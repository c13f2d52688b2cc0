using System.Net;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Hardening;

/// <summary>While an agent is suspended none of its tokens verify and it can get no new ones; reactivating restores them.</summary>
public sealed class SuspendedAgentTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task a_suspended_agents_tokens_verify_false_until_it_is_reactivated()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var token = (string)(await api.GrantAsync(agent))["grantToken"]!;
        Assert.True(await api.VerifyAsync(token));

        await SetStatusAsync(api, agent, "suspended");
        var verify = await ApiClient.ExpectAsync(await api.PostAsync("/v1/tokens/verify", new { token }), HttpStatusCode.OK);
        Assert.False((bool)verify["valid"]!);
        Assert.Single(verify); // the wire format's {"valid":false} and nothing else: the reason stays server-side
        var grantVerify = await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/verify", new { token }), HttpStatusCode.OK);
        Assert.False((bool)grantVerify["active"]!);

        await SetStatusAsync(api, agent, "active");
        Assert.True(await api.VerifyAsync(token));
    }

    [Fact]
    public async Task reactivating_does_not_restore_a_grant_revoked_meanwhile()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var grant = await api.GrantAsync(agent);
        await SetStatusAsync(api, agent, "suspended");
        await ApiClient.ExpectAsync(await api.Http.DeleteAsync($"/v1/grants/{grant["grantId"]}"), HttpStatusCode.NoContent);
        await SetStatusAsync(api, agent, "active");
        Assert.False(await api.VerifyAsync((string)grant["grantToken"]!));
    }

    [Fact]
    public async Task a_suspended_agent_cannot_exchange_refresh_or_delegate_and_nothing_is_issued()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var sub = await api.CreateAgentAsync("Sub");
        var grant = await api.GrantAsync(agent);
        var code = (string)(await api.AuthorizeAsync(agent))["code"]!;
        var grantsBefore = await GrantCountAsync(api);

        await SetStatusAsync(api, agent, "suspended");
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        await ApiClient.ExpectErrorAsync(
            await api.PostAsync("/v1/token/refresh", new { refreshToken = (string)grant["refreshToken"]!, agentId = agent }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        var delegated = await ApiClient.ExpectErrorAsync(
            await api.PostAsync("/v1/grants/delegate", new { parentGrantToken = (string)grant["grantToken"]!, subAgentId = sub, scopes = new[] { "read" } }),
            HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("suspended", (string?)delegated["message"]);
        Assert.Equal(grantsBefore, await GrantCountAsync(api));

        // Nothing was consumed: once reactivated, the same code and refresh token work.
        await SetStatusAsync(api, agent, "active");
        await ApiClient.ExpectAsync(
            await api.PostAsync("/v1/token/refresh", new { refreshToken = (string)grant["refreshToken"]!, agentId = agent }), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task suspending_the_delegating_agent_stops_its_delegated_tokens()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var sub = await api.CreateAgentAsync("Sub");
        var parent = await api.GrantAsync(agent);
        var child = await ApiClient.ExpectAsync(await api.PostAsync("/v1/grants/delegate",
            new { parentGrantToken = (string)parent["grantToken"]!, subAgentId = sub, scopes = new[] { "read" } }), HttpStatusCode.Created);
        var childToken = (string)child["grantToken"]!;
        Assert.True(await api.VerifyAsync(childToken));

        await SetStatusAsync(api, agent, "suspended");
        Assert.False(await api.VerifyAsync(childToken));
        await SetStatusAsync(api, agent, "active");
        Assert.True(await api.VerifyAsync(childToken));
    }

    [Fact]
    public async Task suspended_agents_are_loaded_at_start()
    {
        await using var own = new GrantexApp();
        var api = await ApiClient.CreateAsync(own);
        var agent = await api.CreateAgentAsync();
        var token = (string)(await api.GrantAsync(agent))["grantToken"]!;
        await SetStatusAsync(api, agent, "suspended");

        // A fresh index, as a restarted server builds it from the database.
        var index = new RevocationIndex(own.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>(), TimeProvider.System);
        await index.LoadAsync();
        Assert.True(index.IsAgentSuspended(agent));
        Assert.False(await api.VerifyAsync(token));
    }

    private static async Task SetStatusAsync(ApiClient api, string agent, string status) =>
        await ApiClient.ExpectAsync(await api.PatchAsync($"/v1/agents/{agent}", new { status }), HttpStatusCode.OK);

    private static async Task<int> GrantCountAsync(ApiClient api) =>
        (await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/grants"), HttpStatusCode.OK))["grants"]!.AsArray().Count;
}
