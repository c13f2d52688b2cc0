using System.Net;
using Grantex.Testing;

namespace Grantex.Api.Tests.Principals;

/// <summary>An app whose principal-session route allows 2 calls a minute per developer (the global limit stays high).</summary>
public sealed class LowPrincipalSessionLimitApp : IAsyncLifetime
{
    public GrantexApp App { get; } = GrantexApp.With(new GrantexAppOptions
    {
        Settings = new Dictionary<string, string?> { ["Grantex:RateLimits:PrincipalSessionsPerMinute"] = "2" },
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class PrincipalSessionRateLimitTests(LowPrincipalSessionLimitApp fixture) : IClassFixture<LowPrincipalSessionLimitApp>
{
    [Fact]
    public async Task minting_principal_sessions_over_the_route_limit_answers_429_with_our_error_body_and_other_routes_still_work()
    {
        var api = await ApiClient.CreateAsync(fixture.App);
        await api.GrantAsync(await api.CreateAgentAsync());

        for (var i = 0; i < 2; i++)
        {
            await ApiClient.ExpectAsync(await api.PostAsync("/v1/principal-sessions", new { principalId = "alice" }), HttpStatusCode.Created);
        }

        var limited = await api.PostAsync("/v1/principal-sessions", new { principalId = "alice" });
        var body = await ApiClient.ExpectErrorAsync(limited, HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
        Assert.Matches("retry in [0-9]+ seconds", (string)body["message"]!);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        // The route's own limit: the developer's other calls are not starved, and another developer is not limited.
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/v1/agents")).StatusCode);
        var other = await ApiClient.CreateAsync(fixture.App);
        await other.GrantAsync(await other.CreateAgentAsync());
        await ApiClient.ExpectAsync(await other.PostAsync("/v1/principal-sessions", new { principalId = "alice" }), HttpStatusCode.Created);
    }
}
