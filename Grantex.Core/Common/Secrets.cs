using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Grantex.Core.Common;

/// <summary>Random secrets and their at-rest hashes. Codes, refresh tokens and API keys are stored as SHA-256 only.</summary>
public static class Secrets
{
    /// <summary>base64url of <paramref name="bytes"/> random bytes (32 bytes = 256 bits, 43 characters).</summary>
    public static string Random(int bytes = 32) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    public static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
