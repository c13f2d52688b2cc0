using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Core.Jose;

/// <summary>
/// Signs and checks the compact JWS of checkpoints and pack manifests with Microsoft.IdentityModel: RS256 only, the key
/// chosen by <c>kid</c> from the given set alone (no <c>jku</c>/<c>x5u</c>/<c>jwk</c> is ever followed), a fixed
/// <c>typ</c> per kind so that neither can pass for the other or for a grant token. The payload is signed byte for
/// byte as given.
/// </summary>
public static class CompactJws
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Sign(string payloadJson, RsaSecurityKey key, string type)
    {
        var credentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        return Handler.CreateToken(payloadJson, credentials, new Dictionary<string, object> { [JwtHeaderParameterNames.Typ] = type });
    }

    /// <summary>Checks <paramref name="jws"/> against <paramref name="keys"/>; the payload is returned even when it fails.</summary>
    public static async Task<JwsCheck> VerifyAsync(string jws, IReadOnlyDictionary<string, RsaSecurityKey> keys, string type, int maxLength = 64 * 1024)
    {
        if (jws.Length > maxLength)
        {
            return JwsCheck.Fail(JwsFailure.Malformed, null, null, $"it is longer than {maxLength} characters");
        }

        JsonWebToken token;
        byte[] payload;
        try
        {
            token = new JsonWebToken(jws);
            payload = Base64UrlEncoder.DecodeBytes(jws.Split('.')[1]);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or SecurityTokenException)
        {
            return JwsCheck.Fail(JwsFailure.Malformed, null, null, "it is not a compact JWS");
        }

        var kid = string.IsNullOrEmpty(token.Kid) ? null : token.Kid;
        if (token.Alg != SecurityAlgorithms.RsaSha256)
        {
            return JwsCheck.Fail(JwsFailure.Invalid, kid, payload, $"it uses algorithm '{token.Alg}'; only RS256 is accepted");
        }

        if (token.Typ != type)
        {
            return JwsCheck.Fail(JwsFailure.Invalid, kid, payload, $"its type is '{token.Typ}', not '{type}'");
        }

        if (kid is null || !keys.TryGetValue(kid, out var key))
        {
            return JwsCheck.Fail(JwsFailure.UnknownKey, kid, payload, kid is null ? "it names no key (kid)" : $"it is signed with key '{kid}', which is not in the JWKS");
        }

        var result = await Handler.ValidateTokenAsync(jws, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = [type],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
        });
        return result.IsValid
            ? new JwsCheck(true, null, kid, payload, null)
            : JwsCheck.Fail(JwsFailure.Invalid, kid, payload, $"its signature does not verify with key '{kid}'");
    }
}
