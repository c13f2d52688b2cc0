using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Grantex.Testing;

namespace Grantex.Api.Tests.Webhooks;

/// <summary>
/// The built server (<c>Grantex.Console.dll</c>, copied beside the tests) as a real child process over a database
/// folder that outlives it, so a test can kill it with SIGKILL and start it again on the same data.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;

    private ServerProcess(Process process, StringBuilder log, int port)
    {
        _process = process;
        _log = log;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static Dictionary<string, string> Environment(string directory, int port) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__Grantex"] = $"Data Source={Path.Combine(directory, "grantex.db")}",
        ["Grantex__DataProtection__KeysPath"] = Path.Combine(directory, "keys"),
        ["Grantex__PublicBaseUrl"] = $"http://127.0.0.1:{port}",
        ["Grantex__Compliance__CheckpointInterval"] = "00:00:00",
        ["Grantex__Webhooks__RequireHttps"] = "false",
        ["Grantex__Webhooks__AllowPrivateNetworks__0"] = "127.0.0.0/8",
        ["Grantex__Webhooks__BackoffBase"] = "00:00:00.200",
        ["Grantex__Webhooks__BackoffMax"] = "00:00:01",
        ["Grantex__Webhooks__MaxAttempts"] = "50",
        ["Grantex__Webhooks__SweepInterval"] = "00:00:00.100",
        ["Grantex__Webhooks__ConnectTimeout"] = "00:00:02",
        ["Grantex__Webhooks__RequestTimeout"] = "00:00:03",
    };

    /// <summary>Runs a CLI command of the server (e.g. <c>developer create</c>) and returns its standard output.</summary>
    public static async Task<string> CliAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(Info(environment, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Eventually.Deadline);
        Assert.True(process.ExitCode == 0, $"CLI failed: {await error}");
        return await output;
    }

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, int port)
    {
        var log = new StringBuilder();
        var process = Process.Start(Info(environment, ["--urls", $"http://127.0.0.1:{port}"]))!;
        void Append(object? _, DataReceivedEventArgs e)
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.UntilAsync(async () =>
        {
            Assert.False(process.HasExited, "The server exited: " + server.Log);
            try
            {
                return (await http.GetAsync($"{server.BaseUrl}/health")).StatusCode == HttpStatusCode.OK;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, "The server did not become healthy.");
        return server;
    }

    /// <summary>SIGKILL: no shutdown, no flush, no drain.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo Info(IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Grantex.Console.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }
}
