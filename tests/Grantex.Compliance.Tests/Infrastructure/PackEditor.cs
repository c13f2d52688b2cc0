using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grantex.Core.Compliance;
using Grantex.Core.Keys;
using Microsoft.IdentityModel.Tokens;
using Grantex.Core.Jose;

namespace Grantex.Compliance.Tests.Infrastructure;

/// <summary>What a tamperer does to a downloaded pack: edit files, fix up the manifest, re-sign it with their own key.</summary>
public static class PackEditor
{
    public static List<(string Name, byte[] Content)> Files(byte[] pack)
    {
        using var zip = new ZipArchive(new MemoryStream(pack), ZipArchiveMode.Read);
        var files = new List<(string, byte[])>();
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files.Add((entry.FullName, copy.ToArray()));
        }

        return files;
    }

    public static string Text(byte[] pack, string name) => Encoding.UTF8.GetString(Files(pack).Single(f => f.Name == name).Content);

    public static List<string> Lines(byte[] pack, string name) => [.. Text(pack, name).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    public static byte[] Write(IEnumerable<(string Name, byte[] Content)> files)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    public static byte[] Edit(byte[] pack, string name, Func<byte[], byte[]> edit) =>
        Write(Files(pack).Select(f => f.Name == name ? (f.Name, edit(f.Content)) : f));

    public static byte[] EditText(byte[] pack, string name, Func<string, string> edit) =>
        Edit(pack, name, bytes => Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(bytes))));

    public static byte[] EditLines(byte[] pack, string name, Action<List<string>> edit) =>
        EditText(pack, name, text =>
        {
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            edit(lines);
            return string.Concat(lines.Select(l => l + "\n"));
        });

    public static byte[] Remove(byte[] pack, string name) => Write(Files(pack).Where(f => f.Name != name));

    /// <summary>Recomputes every file's SHA-256, size and record count in manifest.json (manifest.jws is left alone).</summary>
    public static byte[] Reseal(byte[] pack)
    {
        var files = Files(pack);
        var manifest = JsonNode.Parse(files.Single(f => f.Name == AuditPackFormat.Manifest).Content)!;
        foreach (var listed in manifest["files"]!.AsArray())
        {
            var content = files.Single(f => f.Name == listed!["name"]!.GetValue<string>()).Content;
            listed!["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content));
            listed["bytes"] = content.Length;
            if (listed["records"] is not null)
            {
                listed["records"] = content.Count(b => b == (byte)'\n');
            }
        }

        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        return Write(files.Select(f => f.Name == AuditPackFormat.Manifest ? (f.Name, bytes) : f));
    }

    /// <summary>
    /// Reseals the manifest and signs it with <paramref name="key"/>; with <paramref name="replaceJwks"/> the pack's
    /// jwks.json is swapped for the tamperer's key first, making the pack fully self-consistent.
    /// </summary>
    public static byte[] Resign(byte[] pack, RsaSecurityKey key, bool replaceJwks)
    {
        if (replaceJwks)
        {
            var parameters = key.Rsa.ExportParameters(false);
            var jwks = JwksKeys.Document([new JsonWebKeyDto("RSA", Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent), "RS256", "sig", key.KeyId)]);
            pack = Edit(pack, AuditPackFormat.Jwks, _ => Encoding.UTF8.GetBytes(jwks));
        }

        pack = Reseal(pack);
        var manifest = Text(pack, AuditPackFormat.Manifest);
        var jws = CompactJws.Sign(manifest, key, AuditPackFormat.ManifestType);
        return Edit(pack, AuditPackFormat.ManifestSignature, _ => Encoding.ASCII.GetBytes(jws));
    }

    public static RsaSecurityKey AttackerKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    public static async Task<AuditPackVerdict> VerifyAsync(byte[] pack, string? jwks, IReadOnlyList<string>? checkpoints = null) =>
        await AuditPackVerifier.VerifyAsync(new MemoryStream(pack), jwks, checkpoints);
}
