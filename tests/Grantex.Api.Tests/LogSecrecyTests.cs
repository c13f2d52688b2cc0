using System.Net;
using Grantex.Testing;

namespace Grantex.Api.Tests;

/// <summary>An app that keeps every log line it writes, at Debug level and above.</summary>
public sealed class CapturingLoggerFactory : IAsyncLifetime
{
    public GrantexApp App { get; } = GrantexApp.With(new GrantexAppOptions { CaptureLogs = true });

    public IEnumerable<string> Lines => App.Logs;

    public Task InitializeAsync() => App.InitializeAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class LogSecrecyTests(CapturingLoggerFactory factory) : IClassFixture<CapturingLoggerFactory>
{
    [Fact]
    public async Task no_api_key_code_grant_token_or_refresh_token_appears_in_any_log_line()
    {
        var api = await ApiClient.CreateAsync(factory.App);
        var agent = await api.CreateAgentAsync();
        var code = (string)(await api.AuthorizeAsync(agent))["code"]!;
        var issued = await ApiClient.ExpectAsync(await api.PostAsync("/v1/token", new { code, agentId = agent }), HttpStatusCode.Created);
        var refreshed = await ApiClient.ExpectAsync(await api.PostAsync("/v1/token/refresh", new { refreshToken = issued["refreshToken"]!.ToString(), agentId = agent }), HttpStatusCode.Created);
        await api.PostAsync("/v1/token/refresh", new { refreshToken = issued["refreshToken"]!.ToString(), agentId = agent });
        await api.PostAsync("/v1/token", new { code, agentId = agent });
        await api.PostAsync("/v1/tokens/verify", new { token = (string)refreshed["grantToken"]! });
        var rotated = await ApiClient.ExpectAsync(await api.Http.PostAsync("/v1/keys/rotate", null), HttpStatusCode.OK);

        var secrets = new[]
        {
            api.ApiKey, code, (string)issued["grantToken"]!, (string)issued["refreshToken"]!, (string)refreshed["grantToken"]!,
            (string)refreshed["refreshToken"]!, (string)rotated["apiKey"]!,
        };
        Assert.NotEmpty(factory.Lines);
        foreach (var line in factory.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }
}
