using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grantex.Core.Tokens;

namespace Grantex.Core.Tests.Tokens;

/// <summary>Algorithm and key attacks (security-checklist.md, Tokens): only RS256 under a key from our own set verifies.</summary>
public sealed class GrantTokenVerifierAttackTests : IDisposable
{
    private static readonly GrantTokenVerifierOptions Options = new() { Issuer = TokenForge.Issuer };
    private readonly TokenForge _forge = new();

    [Fact]
    public async Task a_token_signed_by_our_key_through_the_raw_path_is_accepted_so_the_forgeries_below_are_meaningful()
    {
        var token = _forge.SignRaw(TokenForge.Header(), _forge.Payload());

        Assert.Equal(TokenCheck.Valid, (await VerifyAsync(token)).Check);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("")]
    public async Task alg_none_is_refused(string alg)
    {
        var token = TokenForge.Unsigned(TokenForge.Header(alg), _forge.Payload());

        Assert.False((await VerifyAsync(token)).IsValid);
    }

    [Fact]
    public async Task a_header_without_alg_is_refused()
    {
        var token = _forge.SignRaw(new JsonObject { ["kid"] = TokenForge.Kid }, _forge.Payload());

        Assert.False((await VerifyAsync(token)).IsValid);
    }

    [Fact]
    public async Task hs256_keyed_with_our_rsa_public_key_is_refused_in_every_encoding_of_that_key()
    {
        var rsa = _forge.Key.Rsa;
        var secrets = new[]
        {
            rsa.ExportSubjectPublicKeyInfo(),
            rsa.ExportRSAPublicKey(),
            Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()),
            Encoding.ASCII.GetBytes(rsa.ExportRSAPublicKeyPem()),
            rsa.ExportParameters(false).Modulus!,
        };

        foreach (var secret in secrets)
        {
            var result = await VerifyAsync(TokenForge.Hmac(TokenForge.Header("HS256"), _forge.Payload(), secret));

            Assert.Equal(TokenCheck.BadSignature, result.Check);
        }
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    public async Task a_correct_rsa_signature_under_another_algorithm_is_refused(string alg)
    {
        var (hash, padding) = alg switch
        {
            "RS384" => (HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "RS512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            _ => (HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        };

        var token = _forge.SignRaw(TokenForge.Header(alg), _forge.Payload(), hash, padding);

        Assert.Equal(TokenCheck.BadSignature, (await VerifyAsync(token)).Check);
    }

    [Fact]
    public async Task an_rs256_header_over_a_ps256_signature_is_refused()
    {
        var token = _forge.SignRaw(TokenForge.Header(), _forge.Payload(), padding: RSASignaturePadding.Pss);

        Assert.Equal(TokenCheck.BadSignature, (await VerifyAsync(token)).Check);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sk_unknown")]
    [InlineData("SK_TEST_1")]
    public async Task an_absent_or_unknown_kid_is_refused_even_with_our_signature(string? kid)
    {
        var token = _forge.SignRaw(TokenForge.Header(kid: kid), _forge.Payload());

        Assert.Equal(TokenCheck.UnknownKey, (await VerifyAsync(token)).Check);
    }

    [Fact]
    public async Task an_embedded_jwk_header_is_ignored_and_the_key_comes_from_our_set_only()
    {
        using var attacker = RSA.Create(2048);
        var p = attacker.ExportParameters(false);
        var header = TokenForge.Header();
        header["jwk"] = new JsonObject { ["kty"] = "RSA", ["kid"] = TokenForge.Kid, ["n"] = Convert.ToBase64String(p.Modulus!), ["e"] = "AQAB" };

        var token = _forge.SignRaw(header, _forge.Payload(), rsa: attacker);

        Assert.Equal(TokenCheck.BadSignature, (await VerifyAsync(token)).Check);
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    public async Task a_key_url_header_is_ignored_and_nothing_is_fetched(string name)
    {
        using var attacker = RSA.Create(2048);
        var withOurKid = TokenForge.Header();
        withOurKid[name] = "http://127.0.0.1:9/jwks.json";
        var withTheirKid = TokenForge.Header(kid: "attacker");
        withTheirKid[name] = "http://127.0.0.1:9/jwks.json";

        Assert.Equal(TokenCheck.BadSignature, (await VerifyAsync(_forge.SignRaw(withOurKid, _forge.Payload(), rsa: attacker))).Check);
        Assert.Equal(TokenCheck.UnknownKey, (await VerifyAsync(_forge.SignRaw(withTheirKid, _forge.Payload(), rsa: attacker))).Check);
    }

    public void Dispose() => _forge.Dispose();

    private static string Base64(string url) => url.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (url.Length % 4)) % 4);

    private Task<TokenVerification> VerifyAsync(string? token) => _forge.Verifier().VerifyAsync(token, Options);
}
