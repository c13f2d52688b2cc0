using Microsoft.IdentityModel.Tokens;
using Grantex.Core.Jose;

namespace Grantex.Core.Compliance;

/// <summary>The JWS form of a checkpoint: RS256 under a server signing key, header <c>typ</c> <see cref="Type"/>.</summary>
public static class CheckpointToken
{
    public const string Type = "grantex-checkpoint+jws";

    public static string Sign(CheckpointClaims claims, RsaSecurityKey key) => CompactJws.Sign(claims.ToJson(), key, Type);

    /// <summary>Checks the signature and reads the claims (also when the signature fails, to name what it claimed).</summary>
    public static async Task<CheckpointReading> ReadAsync(string jws, IReadOnlyDictionary<string, RsaSecurityKey> keys)
    {
        var check = await CompactJws.VerifyAsync(jws, keys, Type, maxLength: 8 * 1024);
        var claims = check.Payload is null ? null : CheckpointClaims.FromJson(check.Payload);
        return new CheckpointReading(jws, claims, check);
    }
}
