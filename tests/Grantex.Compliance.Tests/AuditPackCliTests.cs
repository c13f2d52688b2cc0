using System.Text.Json;
using Grantex.Compliance.Tests.Infrastructure;
using Grantex.Console.Cli;
using Grantex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Compliance.Tests;

/// <summary><c>audit-pack verify</c>: verdicts, exit codes, and no use of the server's services or database.</summary>
public sealed class AuditPackCliTests(CoreHost host) : IClassFixture<CoreHost>, IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gx-cli-");

    private CoreHost Host => host;

    [Fact]
    public async Task an_intact_pack_verified_with_the_server_jwks_prints_intact_and_exits_0()
    {
        var (pack, jwks) = await PackFilesAsync();

        var (code, output, _) = await RunAsync("audit-pack", "verify", pack, "--jwks", jwks);

        Assert.Equal(0, code);
        Assert.Equal("INTACT", output.TrimEnd().Split('\n')[^1]);
        Assert.Contains("ok    manifest.jws: RS256 signature valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_tampered_pack_prints_what_is_wrong_and_exits_1()
    {
        var (pack, jwks) = await PackFilesAsync();
        File.WriteAllBytes(pack, PackEditor.EditLines(File.ReadAllBytes(pack), "audit-entries.jsonl", lines => lines.RemoveAt(2)));

        var (code, output, _) = await RunAsync("audit-pack", "verify", pack, "--jwks", jwks);

        Assert.Equal(1, code);
        Assert.Contains("FAIL  [chain_missing]", output, StringComparison.Ordinal);
        Assert.Contains("FAIL  [file_hash] audit-entries.jsonl was changed", output, StringComparison.Ordinal);
        Assert.StartsWith("TAMPERED: 2 problems: ", output.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task without_jwks_the_verdict_says_the_keys_came_from_the_pack()
    {
        var (pack, _) = await PackFilesAsync();

        var (code, output, _) = await RunAsync("audit-pack", "verify", pack);

        Assert.Equal(0, code);
        Assert.Contains("keys       the pack's own jwks.json", output, StringComparison.Ordinal);
        Assert.Contains("note  The keys came from the pack's own jwks.json", output, StringComparison.Ordinal);
        Assert.Equal("INTACT (against the pack's own keys only)", output.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public async Task the_jwks_can_be_fetched_from_a_url()
    {
        var (pack, _) = await PackFilesAsync();
        var jwks = Host.Jwks();
        await using var server = await ServeAsync(jwks);

        var (code, output, error) = await RunAsync("audit-pack", "verify", pack, "--jwks", server.Url + "/.well-known/jwks.json");
        var (missing, _, missingError) = await RunAsync("audit-pack", "verify", pack, "--jwks", server.Url + "/nothing-here");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("INTACT", output, StringComparison.Ordinal);
        Assert.Equal(2, missing);
        Assert.Contains("HTTP 404", missingError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_checkpoint_kept_elsewhere_is_checked_too()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 4);
        var kept = await Host.CheckpointAsync(dev);
        await Host.TamperWithDatabaseAsync("DELETE FROM audit_checkpoints WHERE \"DeveloperId\" = {0}", dev.Developer.Id);
        await Host.TamperWithDatabaseAsync("DELETE FROM audit_entries WHERE \"DeveloperId\" = {0} AND \"ChainIndex\" >= {1}", dev.Developer.Id, 3L);
        var pack = Path.Combine(_directory.FullName, "cut.zip");
        File.WriteAllBytes(pack, await Host.PackAsync(dev));
        var jwks = Path.Combine(_directory.FullName, "jwks.json");
        File.WriteAllText(jwks, Host.Jwks());
        var checkpoint = Path.Combine(_directory.FullName, "checkpoint.json");
        File.WriteAllText(checkpoint, JsonSerializer.Serialize(new { checkpointId = kept.Id, jws = kept.Jws }));

        var (without, _, _) = await RunAsync("audit-pack", "verify", pack, "--jwks", jwks);
        var (with, output, _) = await RunAsync("audit-pack", "verify", pack, "--jwks", jwks, "--checkpoint", checkpoint, "--json");

        Assert.Equal(0, without);
        Assert.Equal(1, with);
        using var verdict = JsonDocument.Parse(output);
        Assert.Equal("TAMPERED", verdict.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("checkpoint_truncated", Assert.Single(verdict.RootElement.GetProperty("problems").EnumerateArray()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("audit-pack")]
    [InlineData("audit-pack", "check", "x.zip")]
    [InlineData("audit-pack", "verify", "--jwks")]
    [InlineData("audit-pack", "verify", "{pack}", "--colour", "red")]
    [InlineData("audit-pack", "verify", "{dir}/no-such.zip")]
    [InlineData("audit-pack", "verify", "{pack}", "--jwks", "{dir}/no-such.json")]
    [InlineData("audit-pack", "verify", "{pack}", "--jwks", "{pack}")]
    public async Task bad_usage_exits_2_without_a_verdict(params string[] args)
    {
        var (pack, _) = await PackFilesAsync();
        var resolved = args.Select(a => a.Replace("{pack}", pack, StringComparison.Ordinal).Replace("{dir}", _directory.FullName, StringComparison.Ordinal)).ToArray();

        var (code, output, error) = await RunAsync(resolved);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.NotEqual("", error.Trim());
    }

    [Fact]
    public void audit_pack_is_a_cli_command()
    {
        Assert.True(CliRunner.IsCommand(["audit-pack", "verify", "x.zip"]));
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private async Task<(string Pack, string Jwks)> PackFilesAsync()
    {
        var dev = await Host.CreateDeveloperAsync();
        await Host.LogAsync(dev, 5);
        await Host.CheckpointAsync(dev);
        var pack = Path.Combine(_directory.FullName, $"pack-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(pack, await Host.PackAsync(dev));
        var jwks = Path.Combine(_directory.FullName, "jwks.json");
        File.WriteAllText(jwks, Host.Jwks());
        return (pack, jwks);
    }

    /// <summary>Runs the command as Program does, with a service provider that fails on any use: no database, no server.</summary>
    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliRunner.RunAsync(new NoServices(), args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<JwksServer> ServeAsync(string jwks)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/jwks.json", () => Results.Text(jwks, "application/json"));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new JwksServer(app, url);
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            throw new InvalidOperationException($"audit-pack verify must not use the server's services ({serviceType.Name}).");
    }

    private sealed record JwksServer(WebApplication App, string Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
