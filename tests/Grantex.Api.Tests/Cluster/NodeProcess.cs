using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Grantex.Testing;

namespace Grantex.Api.Tests.Cluster;

/// <summary>
/// One node as a real operating-system process: the built Grantex.Console.dll (the configuration this test assembly
/// was built in, Release in CI) run by <c>dotnet</c> on a PostgreSQL database, as scripts/cluster.sh starts it, on a
/// free loopback port. Unlike an in-process host it can be killed with SIGKILL: no shutdown code runs, its
/// connections drop mid-transaction.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NodeProcess(string name, string connectionString, string directory, string publicBaseUrl)
    {
        Name = name;
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        var start = Command(connectionString, directory, publicBaseUrl, "--urls", BaseAddress.ToString().TrimEnd('/'));
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public bool Exited => _process.HasExited;

    /// <summary>
    /// Starts a node on <paramref name="connectionString"/> with its own data folder and waits until /health/ready
    /// says 200. Every node of a cluster has the same <paramref name="publicBaseUrl"/> (the load balancer's: tokens
    /// carry it as their issuer).
    /// </summary>
    public static async Task<NodeProcess> StartAsync(string name, string connectionString, string directory, string publicBaseUrl)
    {
        var node = new NodeProcess(name, connectionString, directory, publicBaseUrl);
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.UntilAsync(async () =>
        {
            Assert.False(node.Exited, $"{name} stopped during start-up:\n{node.Output()}");
            try
            {
                return (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, $"{name} was not ready:\n{node.Output()}");
        return node;
    }

    /// <summary>Runs the CLI (<c>Grantex.Console developer create … --json</c>) against the same database: a sandbox developer's id and key.</summary>
    public static async Task<(string DeveloperId, string ApiKey)> CreateDeveloperAsync(string connectionString, string directory)
    {
        var start = Command(connectionString, directory, "http://localhost", "developer", "create", "--name", "Kill nine", "--mode", "sandbox", "--json");
        using var cli = Process.Start(start)!;
        var stdout = cli.StandardOutput.ReadToEndAsync();
        var stderr = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync().WaitAsync(Eventually.Deadline);
        var output = await stdout;
        Assert.True(cli.ExitCode == 0, $"developer create failed ({cli.ExitCode}): {output}\n{await stderr}");
        var created = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        return ((string)created["developerId"]!, (string)created["apiKey"]!);
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Linux), then reaps the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>The node's last lines of output (for a failure message).</summary>
    public string Output() => string.Join("\n", _output.TakeLast(40));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 400 && _output.TryDequeue(out _))
        {
        }
    }

    private static ProcessStartInfo Command(string connectionString, string directory, string publicBaseUrl, params string[] arguments)
    {
        var dll = AppDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test settings (rate limits out of reach, no scheduled checkpoints) as environment variables, on PostgreSQL.
        foreach (var (key, value) in TestSettings.For(directory, publicBaseUrl).Concat(TestSettings.Postgres(directory))
            .Where(s => s.Key != "Grantex:DataProtection:KeysPath"))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["ConnectionStrings__Grantex"] = connectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        return start;
    }

    private static string AppDll()
    {
        // tests/Grantex.Api.Tests/bin/<Configuration>/net10.0/ → the app built in the same configuration.
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var dll = Path.Combine(PostgresCluster.RepositoryRoot(), "Grantex.Console", "bin", configuration, testBin.Name, "Grantex.Console.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build Grantex.Console in {configuration} first.");
        return dll;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
