using System.Text.Json;
using Grantex.Api.Tests.Webhooks;
using Grantex.Testing;

namespace Grantex.Api.Tests.Operations;

/// <summary><c>Grantex:Logging:Format=json</c>: the real server process writes one JSON object per console line.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task with_the_json_format_every_console_line_is_one_json_log_entry()
    {
        var directory = TestSettings.NewDirectory("grantex-jsonlog-");
        try
        {
            var port = ServerProcess.FreePort();
            var environment = ServerProcess.Environment(directory, port);
            environment["Grantex__Logging__Format"] = "json";
            await using var server = await ServerProcess.StartAsync(environment, port);
            using var http = new HttpClient();
            await http.GetAsync($"{server.BaseUrl}/health/ready");

            var lines = server.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Contains(lines, l => l.Contains("Now listening on", StringComparison.Ordinal));
            foreach (var line in lines)
            {
                using var entry = JsonDocument.Parse(line);
                Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
                Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
                Assert.EndsWith("Z", entry.RootElement.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            TestSettings.DeleteDirectory(directory);
        }
    }
}
