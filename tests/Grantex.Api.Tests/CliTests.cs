using System.Net;
using Grantex.Console.Cli;
using Grantex.Testing;

namespace Grantex.Api.Tests;

public sealed class CliTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task developer_create_prints_json_with_a_key_that_works_against_the_server()
    {
        var output = new StringWriter();
        var code = await CliRunner.RunAsync(factory.Services, ["developer", "create", "--name", "Ops team", "--mode", "sandbox", "--json"], output, new StringWriter());
        Assert.Equal(0, code);
        var json = System.Text.Json.Nodes.JsonNode.Parse(output.ToString())!;
        Assert.StartsWith("dev_", (string?)json["developerId"]);
        var key = (string)json["apiKey"]!;
        Assert.StartsWith("gx_test_", key);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/me")).StatusCode);
    }

    [Fact]
    public async Task bad_cli_usage_exits_2_without_touching_anything()
    {
        Assert.Equal(2, await CliRunner.RunAsync(factory.Services, ["developer", "create", "--name"], new StringWriter(), new StringWriter()));
        Assert.Equal(2, await CliRunner.RunAsync(factory.Services, ["developer", "create", "--name", "x", "--mode", "weird"], new StringWriter(), new StringWriter()));
        Assert.Equal(1, await CliRunner.RunAsync(factory.Services, ["developer", "create"], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public async Task token_verify_checks_a_grant_token_offline_against_the_jwks()
    {
        var api = await ApiClient.CreateAsync(factory);
        var token = (string)(await api.GrantAsync(await api.CreateAgentAsync(), ["read"]))["grantToken"]!;
        var jwks = Path.Combine(factory.DataDirectory, "jwks.json");
        await File.WriteAllTextAsync(jwks, await factory.CreateClient().GetStringAsync("/.well-known/jwks.json"));

        var output = new StringWriter();
        Assert.Equal(0, await CliRunner.RunAsync(factory.Services, ["token", "verify", "--token", token, "--jwks", jwks, "--issuer", "http://localhost", "--scope", "read"], output, new StringWriter()));
        Assert.StartsWith("VALID", output.ToString());

        output = new StringWriter();
        Assert.Equal(1, await CliRunner.RunAsync(factory.Services, ["token", "verify", "--token", token, "--jwks", jwks, "--issuer", "http://localhost", "--scope", "write"], output, new StringWriter()));
        Assert.Contains("InsufficientScope", output.ToString());
        Assert.Equal(1, await CliRunner.RunAsync(factory.Services, ["token", "verify", "--token", token, "--jwks", jwks, "--issuer", "https://elsewhere"], new StringWriter(), new StringWriter()));
    }
}
