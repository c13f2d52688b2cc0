using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Grantex.Core.Common;

namespace Grantex.Core.Consent;

/// <summary>PKCE with S256 only (RFC 7636; wire format §4.6). Plain is refused.</summary>
public static partial class Pkce
{
    public static bool IsValidChallenge(string? challenge) => challenge is not null && Challenge().IsMatch(challenge);

    public static bool IsValidVerifier(string? verifier) => verifier is not null && Verifier().IsMatch(verifier);

    public static string ChallengeFor(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>True when the verifier is well-formed and hashes to the challenge (compared in constant time).</summary>
    public static bool Matches(string verifier, string challenge) =>
        IsValidVerifier(verifier) && Secrets.FixedTimeEquals(ChallengeFor(verifier), challenge);

    [GeneratedRegex(@"^[A-Za-z0-9_-]{43}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Challenge();

    [GeneratedRegex(@"^[A-Za-z0-9._~-]{43,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Verifier();
}
