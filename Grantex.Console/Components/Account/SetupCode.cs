using System.Security.Cryptography;
using System.Text;
using Grantex.Core;
using Grantex.Core.Common;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Account;

/// <summary>
/// The one-time code that proves a person creating the first administrator can read the server's output or its data
/// folder. While no console account exists, the server makes a new random code at every start, logs it (Warning) and
/// writes it to <c>setup-code</c> beside the database, readable only by the server's user (0600). The set-up page and
/// its passkey options require it (compared in constant time); once the first administrator exists the code is
/// forgotten and the file deleted. This replaces "only from localhost", which a reverse proxy on the same machine
/// defeats (every visitor arrives from loopback).
/// </summary>
public sealed partial class SetupCode(IConfiguration configuration, IOptions<GrantexOptions> options, ILogger<SetupCode> logger)
{
    public const string FileName = "setup-code";

    /// <summary>The answer to a missing or wrong code (the same for both).</summary>
    public const string WrongCodeMessage = "That is not the set-up code. It is in the server's output and in the file setup-code beside its database.";

    private readonly Lock _lock = new();
    private byte[]? _hash;

    public string FilePath { get; } = Path.Combine(
        GrantexCoreServiceCollectionExtensions.DataDirectory(configuration), FileName);

    /// <summary>Whether a code is waiting to be used (no console account exists yet).</summary>
    public bool IsActive => _hash is not null;

    /// <summary>Makes, writes and logs a new code (called at start while no console account exists).</summary>
    public void Issue()
    {
        // 20 characters of an unambiguous alphabet (no 0/O, 1/I/L): about 97 bits, typed in four groups.
        const string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
        var code = string.Join('-', Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString(alphabet, 5)));
        lock (_lock)
        {
            _hash = Hash(code);
            File.Delete(FilePath);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Owner only, from the moment the file exists (not created wider and narrowed afterwards).
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new FileStream(FilePath, create);
            file.Write(Encoding.UTF8.GetBytes(code + "\n"));
        }

        LogIssued(logger, code, options.Value.Issuer.TrimEnd('/') + ConsolePaths.Setup, FilePath);
    }

    /// <summary>Whether <paramref name="input"/> is the current code (case, spaces and dashes ignored; constant time).</summary>
    public bool Matches(string? input)
    {
        var expected = _hash;
        if (expected is null || string.IsNullOrWhiteSpace(input))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, Hash(input));
    }

    /// <summary>The first administrator exists: the code stops working and its file goes.</summary>
    public void Retire()
    {
        lock (_lock)
        {
            _hash = null;
            File.Delete(FilePath);
        }
    }

    private static byte[] Hash(string code) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(new string([.. code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant)])));

    [LoggerMessage(Level = LogLevel.Warning, Message = "No console administrator exists yet. Open {SetupUrl} and enter the set-up code {Code} to create one (the code is also in {Path}, readable only by this user).")]
    private static partial void LogIssued(ILogger logger, string code, string setupUrl, string path);
}

/// <summary>At start: a set-up code while the console has no account; otherwise no stale code file.</summary>
public sealed class SetupCodeAtStart(SetupCode code, FirstRunState firstRun) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await firstRun.HasUsersAsync(cancellationToken))
        {
            code.Retire();
        }
        else
        {
            code.Issue();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
