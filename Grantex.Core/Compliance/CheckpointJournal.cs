using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grantex.Core.Common;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Core.Compliance;

/// <summary>
/// Every signed checkpoint, also appended outside the database: one file per developer
/// (<c>&lt;developerId&gt;.jsonl</c>) in <see cref="Directory"/> (setting <c>Grantex:Audit:CheckpointDirectory</c>, by
/// default a <c>checkpoints</c> folder beside the database file), one JSON line per checkpoint, written after the
/// checkpoint's transaction committed and flushed to disk. Someone who can rewrite the database file can delete the
/// chain's tail together with the checkpoint rows; the lines here still hold the head. A line is trusted only if its
/// JWS verifies against the server's published keys, so writing this folder cannot forge a checkpoint; point the
/// setting at storage the database's writers cannot rewrite (another volume, an append-only mount) for the most.
/// </summary>
public sealed partial class CheckpointJournal(string directory, ILogger<CheckpointJournal> logger)
{
    public const string DirectorySetting = "Grantex:Audit:CheckpointDirectory";

    private readonly SemaphoreSlim _lock = new(1, 1);

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Appends the checkpoint's line (call after its transaction committed).</summary>
    public async Task AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        var path = PathFor(checkpoint.DeveloperId) ?? throw new ArgumentException("Not a developer id.", nameof(checkpoint));
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = checkpoint.Id,
            ["developerId"] = checkpoint.DeveloperId,
            ["count"] = checkpoint.EntryCount,
            ["headPosition"] = checkpoint.EntryCount - 1,
            ["headEntryId"] = checkpoint.HeadEntryId,
            ["headHash"] = checkpoint.HeadHash,
            ["createdAt"] = TimeFormat.Iso(checkpoint.CreatedAt),
            ["jws"] = checkpoint.Jws,
        }) + "\n");
        await _lock.WaitAsync(cancellationToken);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
            await stream.WriteAsync(line, cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// The checkpoint covering the most entries among the developer's lines whose JWS verifies against
    /// <paramref name="keys"/> and names this developer; lines that do not (forged, altered, torn by a crash, signed by a
    /// key no longer published) are skipped. Null when there is none.
    /// </summary>
    public async Task<CheckpointReading?> NewestAsync(string developerId, IReadOnlyDictionary<string, RsaSecurityKey> keys, CancellationToken cancellationToken = default)
    {
        var path = PathFor(developerId);
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        var candidates = new List<(long Count, int Line, string Jws)>();
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.Asynchronous | FileOptions.SequentialScan))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            var number = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                number++;
                if (Parse(text) is { } candidate)
                {
                    candidates.Add((candidate.Count, number, candidate.Jws));
                }
            }
        }

        var skipped = 0;
        foreach (var (count, _, jws) in candidates.OrderByDescending(c => c.Count).ThenByDescending(c => c.Line))
        {
            var reading = await CheckpointToken.ReadAsync(jws, keys);
            if (reading.Signature.Valid && reading.Claims is { } claims && claims.DeveloperId == developerId && claims.Count == count)
            {
                if (skipped > 0)
                {
                    LogSkipped(logger, skipped, path);
                }

                return reading;
            }

            skipped++;
        }

        if (skipped > 0)
        {
            LogSkipped(logger, skipped, path);
        }

        return null;
    }

    private static (long Count, string Jws)? Parse(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("count", out var count) && count.ValueKind == JsonValueKind.Number && count.TryGetInt64(out var n)
                && root.TryGetProperty("jws", out var jws) && jws.ValueKind == JsonValueKind.String
                ? (n, jws.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string? PathFor(string developerId) =>
        SafeId().IsMatch(developerId) ? Path.Combine(Directory, developerId + ".jsonl") : null;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeId();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Count} checkpoint line(s) in {Path} whose signature does not verify or that do not match their developer")]
    private static partial void LogSkipped(ILogger logger, int count, string path);
}
