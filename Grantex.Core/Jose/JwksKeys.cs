using System.Security.Cryptography;
using System.Text.Json;
using Grantex.Core.Keys;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Core.Jose;

/// <summary>RSA public keys by <c>kid</c> from a JWKS document (only RSA keys meant for RS256 are taken).</summary>
public static class JwksKeys
{
    public static IReadOnlyDictionary<string, RsaSecurityKey> Parse(string jwksJson)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(jwksJson);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException)
        {
            throw new FormatException("The JWKS is not a valid JSON Web Key Set.", ex);
        }

        var keys = new Dictionary<string, RsaSecurityKey>(StringComparer.Ordinal);
        foreach (var jwk in set.Keys)
        {
            if (jwk.Kty != "RSA" || string.IsNullOrEmpty(jwk.Kid) || string.IsNullOrEmpty(jwk.N) || string.IsNullOrEmpty(jwk.E)
                || (jwk.Alg is { Length: > 0 } alg && alg != SecurityAlgorithms.RsaSha256))
            {
                continue;
            }

            keys[jwk.Kid] = FromParts(jwk.Kid, jwk.N, jwk.E);
        }

        return keys;
    }

    public static RsaSecurityKey FromParts(string kid, string modulus, string exponent) =>
        new(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(modulus), Exponent = Base64UrlEncoder.DecodeBytes(exponent) }) { KeyId = kid };

    /// <summary>A JWKS document (<c>{"keys":[…]}</c>) for the given public keys, as <c>/.well-known/jwks.json</c> serves it.</summary>
    public static string Document(IEnumerable<JsonWebKeyDto> keys)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            foreach (var k in keys)
            {
                w.WriteStartObject();
                w.WriteString("kty", k.Kty);
                w.WriteString("n", k.N);
                w.WriteString("e", k.E);
                w.WriteString("alg", k.Alg);
                w.WriteString("use", k.Use);
                w.WriteString("kid", k.Kid);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
