using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Grantex.Core.IO;
using Grantex.Core.Jose;

namespace Grantex.Core.Compliance;

/// <summary>
/// Checks an audit pack offline, with nothing but the pack and the server's public keys: the manifest's signature
/// (RS256, key by kid from the JWKS), that it signs exactly <c>manifest.json</c>, every file's SHA-256 and size, the
/// chain inside the pack (each hash recomputed, each link, no gaps, chain order), and its consistency with the signed
/// checkpoints (in the pack, or kept elsewhere and given here). Streams every file: any size, constant memory.
/// </summary>
public sealed class AuditPackVerifier
{
    private const int MaxLine = 1024 * 1024;
    private readonly List<AuditPackProblem> _problems = [];
    private readonly List<string> _notes = [];
    private readonly List<string> _passed = [];
    private AuditPackManifest? _manifest;
    private long _entries;
    private bool _keysFromPack;

    private AuditPackVerifier()
    {
    }

    /// <param name="pack">The zip (seekable, e.g. a file).</param>
    /// <param name="jwksJson">The server's JWKS, obtained independently; null to use the pack's own jwks.json (said in the verdict).</param>
    /// <param name="externalCheckpoints">Checkpoint JWS strings kept outside the server (optional).</param>
    /// <exception cref="FormatException"><paramref name="jwksJson"/> is not a JWKS.</exception>
    public static async Task<AuditPackVerdict> VerifyAsync(Stream pack, string? jwksJson, IReadOnlyList<string>? externalCheckpoints = null, CancellationToken cancellationToken = default)
    {
        var given = jwksJson is null ? null : JwksKeys.Parse(jwksJson);
        var verifier = new AuditPackVerifier();
        ZipArchive? zip = null;
        try
        {
            zip = await ZipArchive.CreateAsync(pack, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        }
        catch (InvalidDataException)
        {
            verifier.Problem("not_a_zip", "The file is not a readable zip archive.");
        }

        if (zip is not null)
        {
            await using (zip)
            {
                try
                {
                    await verifier.CheckArchiveAsync(zip, given, externalCheckpoints ?? [], cancellationToken);
                }
                catch (InvalidDataException ex)
                {
                    verifier.Problem("archive_corrupt", $"The archive is damaged: {ex.Message}.");
                }
            }
        }

        return new AuditPackVerdict(verifier._problems, verifier._notes, verifier._passed, verifier._keysFromPack, verifier._manifest, verifier._entries);
    }

    private async Task CheckArchiveAsync(ZipArchive zip, IReadOnlyDictionary<string, RsaSecurityKey>? givenKeys, IReadOnlyList<string> externalCheckpoints, CancellationToken ct)
    {
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (!entries.TryAdd(entry.FullName, entry))
            {
                Problem("file_duplicate", $"The archive holds {entry.FullName} twice.");
            }
        }

        if (!entries.TryGetValue(AuditPackFormat.Manifest, out var manifestEntry))
        {
            Problem("manifest_missing", "The pack has no manifest.json.");
            return;
        }

        var manifestBytes = await ZipEntryContent.ReadSmallAsync(manifestEntry, ct);
        try
        {
            _manifest = AuditPackManifest.Parse(manifestBytes);
        }
        catch (FormatException ex)
        {
            Problem("manifest_malformed", $"manifest.json is unusable: {ex.Message}.");
            return;
        }

        var keys = givenKeys ?? await PackKeysAsync(entries, ct);
        await CheckSignatureAsync(entries, manifestBytes, keys, ct);
        var listed = CheckListing(entries);

        var readings = new List<CheckpointReading>();
        if (listed.TryGetValue(AuditPackFormat.Checkpoints, out var checkpointsFile) && entries.TryGetValue(AuditPackFormat.Checkpoints, out var checkpointsEntry))
        {
            await ReadCheckpointsAsync(checkpointsEntry, checkpointsFile, keys, readings, ct);
        }

        foreach (var jws in externalCheckpoints)
        {
            readings.Add(await CheckpointToken.ReadAsync(jws.Trim(), keys));
        }

        if (listed.TryGetValue(AuditPackFormat.AuditEntries, out var entriesFile) && entries.TryGetValue(AuditPackFormat.AuditEntries, out var entriesEntry))
        {
            var chain = new PackChainCheck(_manifest, readings);
            await using var hashing = new HashingStream(await entriesEntry.OpenAsync(ct));
            await chain.ReadAsync(new JsonLinesReader(hashing, MaxLine), ct);
            CompareFile(entriesFile, hashing.Sha256Hex(), hashing.BytesHashed, chain.Lines);
            _entries = chain.Entries;
            chain.Report(Problem, _notes, _passed);
        }

        foreach (var name in (string[])[AuditPackFormat.Grants, AuditPackFormat.Agents, AuditPackFormat.Policies, AuditPackFormat.Verification, AuditPackFormat.Jwks])
        {
            if (listed.TryGetValue(name, out var file) && entries.TryGetValue(name, out var entry))
            {
                await using var hashing = new HashingStream(await entry.OpenAsync(ct));
                var lines = await ZipEntryContent.CountLinesAsync(hashing, ct);
                CompareFile(file, hashing.Sha256Hex(), hashing.BytesHashed, lines);
            }
        }

        if (entries.TryGetValue(AuditPackFormat.Verification, out var verification))
        {
            await NoteServerVerificationAsync(verification, ct);
        }
    }

    private async Task<IReadOnlyDictionary<string, RsaSecurityKey>> PackKeysAsync(Dictionary<string, ZipArchiveEntry> entries, CancellationToken ct)
    {
        _keysFromPack = true;
        _notes.Add("The keys came from the pack's own jwks.json, so this only shows the pack is self-consistent (anyone can sign a pack with a key of their own). "
            + "Check jwks.json against the server's /.well-known/jwks.json, or verify again with --jwks.");
        if (!entries.TryGetValue(AuditPackFormat.Jwks, out var jwks))
        {
            Problem("jwks_missing", "The pack has no jwks.json and no JWKS was given: nothing can be checked against a key.");
            return new Dictionary<string, RsaSecurityKey>();
        }

        try
        {
            return JwksKeys.Parse(Encoding.UTF8.GetString((await ZipEntryContent.ReadSmallAsync(jwks, ct)).Span));
        }
        catch (FormatException)
        {
            Problem("jwks_invalid", "The pack's jwks.json is not a valid JSON Web Key Set.");
            return new Dictionary<string, RsaSecurityKey>();
        }
    }

    private async Task CheckSignatureAsync(Dictionary<string, ZipArchiveEntry> entries, ReadOnlyMemory<byte> manifestBytes, IReadOnlyDictionary<string, RsaSecurityKey> keys, CancellationToken ct)
    {
        if (!entries.TryGetValue(AuditPackFormat.ManifestSignature, out var signatureEntry))
        {
            Problem("manifest_signature", "The pack has no manifest.jws: nothing vouches for the manifest.");
            return;
        }

        var jws = Encoding.ASCII.GetString((await ZipEntryContent.ReadSmallAsync(signatureEntry, ct)).Span).Trim();
        var check = await CompactJws.VerifyAsync(jws, keys, AuditPackFormat.ManifestType);
        if (!check.Valid)
        {
            var why = check.Failure == JwsFailure.UnknownKey ? $"{check.Problem}, so the pack was not signed by this server" : check.Problem;
            Problem("manifest_signature", $"manifest.jws is not a valid signature of the manifest: {why}.");
        }
        else
        {
            _passed.Add($"manifest.jws: RS256 signature valid under key {check.Kid}.");
        }

        if (check.Payload is not null && !check.Payload.AsSpan().SequenceEqual(manifestBytes.Span))
        {
            Problem("manifest_mismatch", "manifest.json is not the manifest that manifest.jws signs: the manifest was modified after signing.");
        }
        else if (check.Payload is not null)
        {
            _passed.Add("manifest.jws signs exactly the bytes of manifest.json.");
        }
    }

    private Dictionary<string, AuditPackFile> CheckListing(Dictionary<string, ZipArchiveEntry> entries)
    {
        var listed = new Dictionary<string, AuditPackFile>(StringComparer.Ordinal);
        foreach (var file in _manifest!.Files)
        {
            if (!listed.TryAdd(file.Name, file))
            {
                Problem("manifest_malformed", $"The manifest lists {file.Name} twice.");
            }
            else if (!entries.ContainsKey(file.Name))
            {
                Problem("file_missing", $"{file.Name} is listed in the manifest but missing from the pack.");
            }
        }

        foreach (var required in AuditPackFormat.ContentFiles.Where(f => !listed.ContainsKey(f)))
        {
            Problem("manifest_incomplete", $"The manifest does not list {required}.");
        }

        foreach (var name in entries.Keys.Where(n => n is not AuditPackFormat.Manifest and not AuditPackFormat.ManifestSignature && !listed.ContainsKey(n)))
        {
            Problem("file_unlisted", $"{name} is in the pack but not in the manifest.");
        }

        return listed;
    }

    private async Task ReadCheckpointsAsync(ZipArchiveEntry entry, AuditPackFile file, IReadOnlyDictionary<string, RsaSecurityKey> keys, List<CheckpointReading> readings, CancellationToken ct)
    {
        await using var hashing = new HashingStream(await entry.OpenAsync(ct));
        var reader = new JsonLinesReader(hashing, MaxLine);
        long lines = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lines++;
            var (jws, decoded) = PackCheckpointLine.Parse(line);
            if (jws is null)
            {
                Problem("checkpoint_malformed", $"Line {lines} of checkpoints.jsonl is not a checkpoint record.");
                continue;
            }

            var reading = await CheckpointToken.ReadAsync(jws, keys);
            if (reading.Claims is { } claims && decoded is not null && !decoded.Matches(claims))
            {
                Problem("checkpoint_mismatch", $"The fields shown for checkpoint {claims.Id} in checkpoints.jsonl differ from what its JWS signs.");
            }

            readings.Add(reading);
        }

        CompareFile(file, hashing.Sha256Hex(), hashing.BytesHashed, lines);
    }

    private async Task NoteServerVerificationAsync(ZipArchiveEntry entry, CancellationToken ct)
    {
        try
        {
            using var doc = JsonDocument.Parse(await ZipEntryContent.ReadSmallAsync(entry, ct));
            if (doc.RootElement.TryGetProperty("intact", out var intact) && intact.ValueKind == JsonValueKind.False)
            {
                var detail = doc.RootElement.TryGetProperty("chain", out var chain) && chain.TryGetProperty("detail", out var d) ? d.GetString() : null;
                _notes.Add($"The server's own verification at pack time already reported a broken chain: {detail ?? "no detail"}");
            }
        }
        catch (JsonException)
        {
            Problem("file_malformed", "verification.json is not valid JSON.");
        }
    }

    private void CompareFile(AuditPackFile listed, string sha256, long bytes, long lines)
    {
        if (!string.Equals(sha256, listed.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            var size = bytes == listed.Bytes ? "same size" : $"{bytes} bytes, the manifest says {listed.Bytes}";
            Problem("file_hash", $"{listed.Name} was changed: its SHA-256 is {sha256[..16]}…, the manifest says {listed.Sha256[..Math.Min(16, listed.Sha256.Length)]}… ({size}).");
        }
        else if (bytes != listed.Bytes)
        {
            Problem("file_size", $"{listed.Name} is {bytes} bytes, the manifest says {listed.Bytes}.");
        }
        else if (listed.Records is { } records && records != lines)
        {
            Problem("file_records", $"{listed.Name} has {lines} records, the manifest says {records}.");
        }
        else
        {
            _passed.Add($"{listed.Name}: SHA-256 and size ({bytes} bytes) match the manifest.");
        }
    }

    private void Problem(string code, string message) => _problems.Add(new AuditPackProblem(code, message));
}
