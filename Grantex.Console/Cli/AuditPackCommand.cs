using System.Text.Json;
using Grantex.Core.Compliance;

namespace Grantex.Console.Cli;

/// <summary>
/// <c>audit-pack verify PACK [--jwks FILE-or-URL] [--checkpoint FILE]... [--json]</c>: checks an audit pack offline.
/// Needs no database and no server: only the pack and, ideally, the server's JWKS obtained independently.
/// Exit code 0 intact, 1 tampered, 2 usage (or an unusable JWKS / checkpoint argument).
/// </summary>
public static class AuditPackCommand
{
    public const string Usage = """
          Grantex.Console audit-pack verify PACK [--jwks FILE-or-URL] [--checkpoint FILE]... [--json]
              Checks an audit pack offline: the manifest signature against the JWKS (without --jwks, the pack's own
              jwks.json, which only shows self-consistency), every file's SHA-256 and size, the chain inside the pack,
              and its consistency with the signed checkpoints (in the pack, and any kept elsewhere given with --checkpoint).
              Exit code 0 INTACT, 1 TAMPERED, 2 usage.
        """;

    private const int MaxDownload = 1024 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length < 2 || args[0] != "verify" || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync("Usage:\n" + Usage);
            return 2;
        }

        var path = args[1];
        string? jwksSource = null;
        var checkpointFiles = new List<string>();
        var json = false;
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--jwks" when i + 1 < args.Length:
                    jwksSource = args[++i];
                    break;
                case "--checkpoint" when i + 1 < args.Length:
                    checkpointFiles.Add(args[++i]);
                    break;
                default:
                    await error.WriteLineAsync($"Unexpected argument '{args[i]}'.\nUsage:\n{Usage}");
                    return 2;
            }
        }

        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"No such file: {path}");
            return 2;
        }

        string? jwks = null;
        List<string> checkpoints = [];
        try
        {
            jwks = jwksSource is null ? null : await LoadJwksAsync(jwksSource);
            foreach (var file in checkpointFiles)
            {
                checkpoints.Add(ReadCheckpoint(file));
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or UnauthorizedAccessException or InvalidDataException or TaskCanceledException)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }

        AuditPackVerdict verdict;
        try
        {
            await using var pack = File.OpenRead(path);
            verdict = await AuditPackVerifier.VerifyAsync(pack, jwks, checkpoints);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"--jwks {jwksSource}: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{path} could not be read: {ex.Message}");
            return 2;
        }

        await (json ? PrintJsonAsync(verdict, output) : PrintAsync(path, jwksSource, verdict, output));
        return verdict.Intact ? 0 : 1;
    }

    private static async Task<string> LoadJwksAsync(string source)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return File.Exists(source) ? await File.ReadAllTextAsync(source) : throw new IOException($"No such JWKS file: {source}");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Fetching the JWKS from {uri} failed: HTTP {(int)response.StatusCode}.");
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        using var copy = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            if (copy.Length + read > MaxDownload)
            {
                throw new InvalidDataException($"The JWKS at {uri} is larger than 1 MB.");
            }

            copy.Write(buffer, 0, read);
        }

        return System.Text.Encoding.UTF8.GetString(copy.ToArray());
    }

    /// <summary>A checkpoint kept elsewhere: the bare JWS, or a checkpoint as the API returns it (with a "jws" field).</summary>
    private static string ReadCheckpoint(string file)
    {
        if (!File.Exists(file))
        {
            throw new IOException($"No such checkpoint file: {file}");
        }

        var text = File.ReadAllText(file).Trim();
        if (!text.StartsWith('{'))
        {
            return text;
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.TryGetProperty("jws", out var jws) && jws.ValueKind == JsonValueKind.String
                ? jws.GetString()!
                : throw new InvalidDataException($"{file} holds JSON without a \"jws\" field.");
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"{file} is neither a checkpoint JWS nor checkpoint JSON.");
        }
    }

    private static async Task PrintAsync(string path, string? jwksSource, AuditPackVerdict verdict, TextWriter output)
    {
        await output.WriteLineAsync($"Audit pack  {path}");
        if (verdict.Manifest is { } m)
        {
            await output.WriteLineAsync($"  developer  {m.DeveloperId}");
            await output.WriteLineAsync($"  generated  {m.GeneratedAt}");
            await output.WriteLineAsync($"  window     {(m.Since is null && m.Until is null ? "the whole chain" : $"since {m.Since ?? "the start"} until {m.Until ?? "the pack time"}")}");
            await output.WriteLineAsync($"  entries    {verdict.Entries}");
        }

        await output.WriteLineAsync($"  keys       {(verdict.KeysFromPack ? "the pack's own jwks.json (not independent: see note)" : jwksSource)}");
        await output.WriteLineAsync();
        foreach (var line in verdict.Passed)
        {
            await output.WriteLineAsync($"  ok    {line}");
        }

        foreach (var line in verdict.Notes)
        {
            await output.WriteLineAsync($"  note  {line}");
        }

        foreach (var problem in verdict.Problems)
        {
            await output.WriteLineAsync($"  FAIL  [{problem.Code}] {problem.Message}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync(verdict.Intact
            ? (verdict.KeysFromPack ? "INTACT (against the pack's own keys only)" : "INTACT")
            : $"TAMPERED: {verdict.Problems.Count} problem{(verdict.Problems.Count == 1 ? "" : "s")}: {string.Join(" ", verdict.Problems.Select(p => p.Message))}");
    }

    private static Task PrintJsonAsync(AuditPackVerdict verdict, TextWriter output) =>
        output.WriteLineAsync(JsonSerializer.Serialize(new
        {
            verdict = verdict.Intact ? "INTACT" : "TAMPERED",
            intact = verdict.Intact,
            keysFromPack = verdict.KeysFromPack,
            developerId = verdict.Manifest?.DeveloperId,
            since = verdict.Manifest?.Since,
            until = verdict.Manifest?.Until,
            entries = verdict.Entries,
            problems = verdict.Problems.Select(p => new { code = p.Code, message = p.Message }),
            notes = verdict.Notes,
            passed = verdict.Passed,
        }, Json));
}
