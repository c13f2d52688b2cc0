using System.IO.Compression;

namespace Grantex.Core.IO;

/// <summary>Reading files of a pack with bounds: small files whole (capped), large ones only counted while streamed.</summary>
internal static class ZipEntryContent
{
    private const int MaxSmallFile = 4 * 1024 * 1024;

    /// <summary>Reads a stream to its end, counting newlines (a hashing stream underneath sees every byte).</summary>
    public static async Task<long> CountLinesAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        long lines = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }

    /// <summary>The whole content of a small file (manifest, signature, JWKS); larger than 4 MB is refused.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadSmallAsync(ZipArchiveEntry entry, CancellationToken ct)
    {
        await using var stream = await entry.OpenAsync(ct);
        using var copy = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            if (copy.Length + read > MaxSmallFile)
            {
                throw new InvalidDataException($"{entry.FullName} is larger than {MaxSmallFile / (1024 * 1024)} MB");
            }

            copy.Write(buffer, 0, read);
        }

        return copy.ToArray();
    }
}
