using System.Text.Json.Nodes;
using Grantex.Core.Tokens;

namespace Grantex.Core.Tests.Tokens;

/// <summary>Tampered, truncated, malformed, oversized and incomplete tokens are refused (security-checklist.md, Tokens).</summary>
public sealed class GrantTokenVerifierTamperingTests : IDisposable
{
    private static readonly GrantTokenVerifierOptions Options = new() { Issuer = TokenForge.Issuer };
    private readonly TokenForge _forge = new();

    [Fact]
    public async Task a_tampered_payload_is_refused()
    {
        var parts = _forge.Sign(_forge.Claims()).Split('.');
        var payload = _forge.Payload();
        payload["scp"] = new JsonArray("read", "write", "admin");

        var token = parts[0] + "." + TokenForge.Segment(payload) + "." + parts[2];

        Assert.Equal(TokenCheck.BadSignature, (await VerifyAsync(token)).Check);
    }

    [Fact]
    public async Task a_tampered_header_is_refused()
    {
        var parts = _forge.Sign(_forge.Claims()).Split('.');
        var header = TokenForge.Header();
        header["typ"] = "at+jwt";

        Assert.Equal(TokenCheck.BadSignature, (await VerifyAsync(TokenForge.Segment(header) + "." + parts[1] + "." + parts[2])).Check);
    }

    [Fact]
    public async Task a_stripped_signature_is_refused()
    {
        var parts = _forge.Sign(_forge.Claims()).Split('.');

        Assert.False((await VerifyAsync(parts[0] + "." + parts[1] + ".")).IsValid);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(100)]
    public async Task a_truncated_signature_is_refused(int cut)
    {
        var token = _forge.Sign(_forge.Claims());

        Assert.Equal(TokenCheck.BadSignature, (await VerifyAsync(token[..^cut])).Check);
    }

    [Fact]
    public async Task a_signature_with_one_flipped_bit_is_refused()
    {
        var parts = _forge.Sign(_forge.Claims()).Split('.');
        var signature = Convert.FromBase64String(Base64(parts[2]));
        signature[^10] ^= 0x01;

        var token = parts[0] + "." + parts[1] + "." + Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(TokenCheck.BadSignature, (await VerifyAsync(token)).Check);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task a_token_with_the_wrong_number_of_segments_is_refused_as_malformed(int segments)
    {
        var parts = _forge.Sign(_forge.Claims()).Split('.');
        var token = string.Join('.', Enumerable.Range(0, segments).Select(i => parts[i % 3]));

        Assert.Equal(TokenCheck.Malformed, (await VerifyAsync(token)).Check);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a jwt")]
    [InlineData("a.b.c")]
    [InlineData("!!.??.**")]
    public async Task garbage_is_refused_as_malformed(string? token)
    {
        Assert.Equal(TokenCheck.Malformed, (await VerifyAsync(token)).Check);
    }

    [Fact]
    public async Task an_oversized_token_is_refused_before_parsing_even_when_correctly_signed()
    {
        var claims = _forge.Claims() with { Scopes = [.. Enumerable.Range(0, 600).Select(i => $"scope:{i}")] };
        var token = _forge.Sign(claims);

        Assert.True(token.Length > Options.MaxTokenLength);
        Assert.Equal(TokenCheck.TooLarge, (await VerifyAsync(token)).Check);
        Assert.Equal(TokenCheck.TooLarge, (await VerifyAsync(new string('a', 100_000))).Check);
    }

    [Fact]
    public async Task a_principal_session_token_signed_by_our_key_is_not_a_grant_token()
    {
        var session = new JsonObject
        {
            ["dev"] = "dev_1",
            ["purpose"] = "principal_dashboard",
            ["iss"] = TokenForge.Issuer,
            ["sub"] = "user_1",
            ["iat"] = _forge.Now,
            ["exp"] = _forge.Now + 3600,
        };

        Assert.Equal(TokenCheck.MissingClaims, (await VerifyAsync(_forge.SignRaw(TokenForge.Header(), session))).Check);
    }

    [Theory]
    [InlineData("jti")]
    [InlineData("sub")]
    [InlineData("agt")]
    [InlineData("dev")]
    [InlineData("scp")]
    [InlineData("iat")]
    [InlineData("exp")]
    public async Task a_token_missing_a_required_claim_is_refused(string claim)
    {
        var payload = _forge.Payload();
        payload.Remove(claim);

        Assert.Equal(TokenCheck.MissingClaims, (await VerifyAsync(_forge.SignRaw(TokenForge.Header(), payload))).Check);
    }

    [Theory]
    [InlineData("scp", "\"read\"")]
    [InlineData("scp", "[\"read\", 1]")]
    [InlineData("exp", "\"9999999999\"")]
    [InlineData("iat", "\"1767268800\"")]
    [InlineData("iat", "null")]
    [InlineData("jti", "42")]
    [InlineData("agt", "\"\"")]
    [InlineData("sub", "{\"id\":\"user_1\"}")]
    [InlineData("dev", "[\"dev_1\"]")]
    public async Task a_token_with_a_claim_of_the_wrong_type_is_refused(string claim, string json)
    {
        var payload = _forge.Payload();
        payload[claim] = JsonNode.Parse(json);

        var result = await VerifyAsync(_forge.SignRaw(TokenForge.Header(), payload));

        Assert.False(result.IsValid);
        Assert.Contains(result.Check, new[] { TokenCheck.MissingClaims, TokenCheck.Malformed });
    }
    public void Dispose() => _forge.Dispose();

    private static string Base64(string url) => url.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (url.Length % 4)) % 4);

    private Task<TokenVerification> VerifyAsync(string? token) => _forge.Verifier().VerifyAsync(token, Options);
}
