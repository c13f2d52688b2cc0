using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grantex.Core.Tokens;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Core.Tests.Tokens;

/// <summary>Keys, a fake clock and hand-made JWTs (good and bad) for verifier tests.</summary>
internal sealed class TokenForge : IDisposable
{
    public const string Issuer = "https://grantex.test";
    public const string Kid = "sk_test_1";

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly RSA _rsa = RSA.Create(2048);

    public TokenForge()
    {
        Key = new RsaSecurityKey(_rsa) { KeyId = Kid };
    }

    public RsaSecurityKey Key { get; }

    public FakeTimeProvider Clock { get; } = new(Start);

    public long Now => Clock.GetUtcNow().ToUnixTimeSeconds();

    public GrantTokenVerifier Verifier() => new(() => new Dictionary<string, RsaSecurityKey> { [Kid] = Key }, Clock);

    public GrantTokenClaims Claims(long lifetimeSeconds = 3600) => new()
    {
        Issuer = Issuer,
        Subject = "user_1",
        AgentDid = "did:grantex:ag_1",
        DeveloperId = "dev_1",
        Scopes = ["read", "write"],
        GrantId = "grnt_1",
        IssuedAt = Now,
        ExpiresAt = Now + lifetimeSeconds,
        TokenId = "tok_1",
    };

    public string Sign(GrantTokenClaims claims) => GrantTokenIssuer.Sign(claims, Key);

    /// <summary>The payload of a token the issuer would sign, as a mutable JSON object.</summary>
    public JsonObject Payload(GrantTokenClaims? claims = null) => JsonNode.Parse(GrantTokenIssuer.Payload(claims ?? Claims()))!.AsObject();

    /// <summary>A JWS over any header and payload, signed with RSA and the given padding/hash (or our key by default).</summary>
    public string SignRaw(object header, JsonObject payload, HashAlgorithmName? hash = null, RSASignaturePadding? padding = null, RSA? rsa = null)
    {
        var input = Segment(header) + "." + Segment(payload);
        var signature = (rsa ?? _rsa).SignData(Encoding.ASCII.GetBytes(input), hash ?? HashAlgorithmName.SHA256, padding ?? RSASignaturePadding.Pkcs1);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public static string Unsigned(object header, JsonObject payload) => Segment(header) + "." + Segment(payload) + ".";

    public static string Hmac(object header, JsonObject payload, byte[] secret)
    {
        var input = Segment(header) + "." + Segment(payload);
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    public static string Segment(object value) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(value)));

    public static JsonObject Header(string alg = "RS256", string? kid = Kid)
    {
        var header = new JsonObject { ["alg"] = alg };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        return header;
    }

    public void Dispose() => _rsa.Dispose();
}
