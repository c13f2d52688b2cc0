using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grantex.Api.Tests;

/// <summary>Keeps every log line the app writes, at Debug level and above.</summary>
public sealed class CapturingLoggerFactory : GrantexApiFactory
{
    public ConcurrentQueue<string> Lines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddFilter(_ => true);
            logging.Services.AddSingleton<ILoggerProvider>(new CapturingProvider(Lines));
        });
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}

public sealed class LogSecrecyTests(CapturingLoggerFactory factory) : IClassFixture<CapturingLoggerFactory>
{
    [Fact]
    public async Task no_api_key_code_grant_token_or_refresh_token_appears_in_any_log_line()
    {
        var api = await ApiClient.CreateAsync(factory);
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
