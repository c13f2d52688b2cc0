using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Grantex.Core.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Core.Tests.Tokens;

/// <summary>What a valid token yields, and the checks on its lifetime, issuer, audience and scopes.</summary>
public sealed class GrantTokenVerifierTests : IDisposable
{
    private static readonly GrantTokenVerifierOptions Options = new() { Issuer = TokenForge.Issuer };
    private readonly TokenForge _forge = new();

    [Fact]
    public async Task a_token_from_the_issuer_verifies_and_exposes_its_claims()
    {
        var claims = _forge.Claims() with { Audience = "https://api.example.com" };

        var result = await VerifyAsync(_forge.Sign(claims));

        Assert.True(result.IsValid);
        var grant = result.Grant!;
        Assert.Equal("tok_1", grant.TokenId);
        Assert.Equal("grnt_1", grant.GrantId);
        Assert.Equal("user_1", grant.PrincipalId);
        Assert.Equal("did:grantex:ag_1", grant.AgentDid);
        Assert.Equal("dev_1", grant.DeveloperId);
        Assert.Equal(["read", "write"], grant.Scopes);
        Assert.Equal("https://api.example.com", grant.Audience);
        Assert.Equal(TokenForge.Issuer, grant.Issuer);
        Assert.Equal(TokenForge.Start.UtcDateTime, grant.IssuedAt);
        Assert.Equal(TokenForge.Start.UtcDateTime.AddHours(1), grant.ExpiresAt);
        Assert.Null(grant.DelegationDepth);
        Assert.Null(grant.Presence);
        Assert.Empty(grant.AuthenticationMethods);
    }

    [Fact]
    public async Task delegation_claims_are_exposed()
    {
        var claims = _forge.Claims() with { ParentAgentDid = "did:grantex:ag_0", ParentGrantId = "grnt_0", DelegationDepth = 2 };

        var grant = (await VerifyAsync(_forge.Sign(claims))).Grant!;

        Assert.Equal("did:grantex:ag_0", grant.ParentAgentDid);
        Assert.Equal("grnt_0", grant.ParentGrantId);
        Assert.Equal(2, grant.DelegationDepth);
    }

    [Fact]
    public async Task presence_claims_are_exposed_for_an_offline_verifier()
    {
        var claims = _forge.Claims() with { Presence = new PresenceEvidence(_forge.Now - 30, "c0ffee", UserVerified: true, Enrolment: "enrolment_link") };

        var grant = (await VerifyAsync(_forge.Sign(claims))).Grant!;

        Assert.Equal(["hwk", "user"], grant.AuthenticationMethods);
        Assert.Equal(new PresenceEvidence(_forge.Now - 30, "c0ffee", true, "enrolment_link"), grant.Presence);
        Assert.True(grant.Presence!.IndependentlyEnrolled);
    }

    [Fact]
    public async Task a_token_without_grnt_falls_back_to_jti_as_grant_id_as_the_sdk_does()
    {
        var payload = _forge.Payload();
        payload.Remove("grnt");

        var grant = (await VerifyAsync(_forge.SignRaw(TokenForge.Header(), payload))).Grant!;

        Assert.Equal("tok_1", grant.GrantId);
    }

    [Fact]
    public async Task a_token_is_valid_until_the_second_before_exp_and_expired_at_exp()
    {
        var token = _forge.Sign(_forge.Claims(lifetimeSeconds: 60));

        _forge.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TokenCheck.Valid, (await VerifyAsync(token)).Check);
        _forge.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenCheck.Expired, (await VerifyAsync(token)).Check);
    }

    [Fact]
    public async Task clock_skew_extends_the_lifetime_by_exactly_the_skew()
    {
        var token = _forge.Sign(_forge.Claims(lifetimeSeconds: 60));
        var lenient = new GrantTokenVerifierOptions { Issuer = TokenForge.Issuer, ClockSkew = TimeSpan.FromSeconds(30) };

        _forge.Clock.Advance(TimeSpan.FromSeconds(89));
        Assert.True((await _forge.Verifier().VerifyAsync(token, lenient)).IsValid);
        _forge.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenCheck.Expired, (await _forge.Verifier().VerifyAsync(token, lenient)).Check);
    }

    [Fact]
    public async Task a_token_issued_in_the_future_is_not_yet_valid()
    {
        var claims = _forge.Claims() with { IssuedAt = _forge.Now + 60 };

        Assert.Equal(TokenCheck.NotYetValid, (await VerifyAsync(_forge.Sign(claims))).Check);
    }

    [Fact]
    public async Task a_not_before_in_the_future_is_honoured()
    {
        var payload = _forge.Payload();
        payload["nbf"] = _forge.Now + 60;
        var token = _forge.SignRaw(TokenForge.Header(), payload);

        Assert.Equal(TokenCheck.NotYetValid, (await VerifyAsync(token)).Check);
        _forge.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(TokenCheck.Valid, (await VerifyAsync(token)).Check);
    }

    [Theory]
    [InlineData("https://evil.test")]
    [InlineData("https://grantex.test/")]
    [InlineData("HTTPS://GRANTEX.TEST")]
    public async Task a_token_from_another_issuer_is_refused(string issuer)
    {
        var token = _forge.Sign(_forge.Claims() with { Issuer = issuer });

        Assert.Equal(TokenCheck.WrongIssuer, (await VerifyAsync(token)).Check);
    }

    [Fact]
    public async Task a_token_without_an_issuer_is_refused()
    {
        var payload = _forge.Payload();
        payload.Remove("iss");

        Assert.False((await VerifyAsync(_forge.SignRaw(TokenForge.Header(), payload))).IsValid);
    }

    [Theory]
    [InlineData(null, TokenCheck.WrongAudience)]
    [InlineData("https://other.example.com", TokenCheck.WrongAudience)]
    [InlineData("https://api.example.com", TokenCheck.Valid)]
    public async Task the_audience_must_match_when_the_verifier_expects_one(string? audience, TokenCheck expected)
    {
        var token = _forge.Sign(_forge.Claims() with { Audience = audience });
        var options = new GrantTokenVerifierOptions { Issuer = TokenForge.Issuer, Audience = "https://api.example.com" };

        Assert.Equal(expected, (await _forge.Verifier().VerifyAsync(token, options)).Check);
    }

    [Fact]
    public async Task an_audience_array_is_not_accepted_as_a_match()
    {
        var payload = _forge.Payload();
        payload["aud"] = new JsonArray("https://api.example.com", "https://other.example.com");
        var options = new GrantTokenVerifierOptions { Issuer = TokenForge.Issuer, Audience = "https://api.example.com" };

        Assert.Equal(TokenCheck.WrongAudience, (await _forge.Verifier().VerifyAsync(_forge.SignRaw(TokenForge.Header(), payload), options)).Check);
    }

    [Theory]
    [InlineData(new[] { "read" }, TokenCheck.Valid)]
    [InlineData(new[] { "read", "write" }, TokenCheck.Valid)]
    [InlineData(new[] { "read", "admin" }, TokenCheck.InsufficientScope)]
    [InlineData(new[] { "READ" }, TokenCheck.InsufficientScope)]
    [InlineData(new[] { "read " }, TokenCheck.InsufficientScope)]
    public async Task required_scopes_must_all_be_carried_exactly(string[] required, TokenCheck expected)
    {
        var options = new GrantTokenVerifierOptions { Issuer = TokenForge.Issuer, RequiredScopes = required };

        Assert.Equal(expected, (await _forge.Verifier().VerifyAsync(_forge.Sign(_forge.Claims()), options)).Check);
    }

    [Fact]
    public async Task a_verifier_built_from_a_jwks_document_accepts_our_tokens_and_ignores_unusable_keys()
    {
        using var other = RSA.Create(2048);
        var p = _forge.Key.Rsa.ExportParameters(false);
        var o = other.ExportParameters(false);
        var jwks = $$"""
            {"keys":[
              {"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"ec-1"},
              {"kty":"RSA","alg":"RS384","n":"{{Base64Url.EncodeToString(o.Modulus)}}","e":"AQAB","kid":"rs384-1"},
              {"kty":"RSA","alg":"RS256","use":"sig","n":"{{Base64Url.EncodeToString(p.Modulus)}}","e":"{{Base64Url.EncodeToString(p.Exponent)}}","kid":"{{TokenForge.Kid}}"}
            ]}
            """;
        var verifier = GrantTokenVerifier.FromJwks(jwks, _forge.Clock);

        Assert.True((await verifier.VerifyAsync(_forge.Sign(_forge.Claims()), Options)).IsValid);
        var rs384Kid = _forge.SignRaw(TokenForge.Header(kid: "rs384-1"), _forge.Payload(), rsa: other);
        Assert.Equal(TokenCheck.UnknownKey, (await verifier.VerifyAsync(rs384Kid, Options)).Check);
        Assert.Equal(TokenCheck.UnknownKey, (await verifier.VerifyAsync(_forge.SignRaw(TokenForge.Header(kid: "ec-1"), _forge.Payload()), Options)).Check);
    }

    [Fact]
    public async Task a_jwks_verifier_refuses_tokens_of_a_key_it_does_not_hold()
    {
        using var stranger = new TokenForge();
        var p = stranger.Key.Rsa.ExportParameters(false);
        var jwks = $$"""{"keys":[{"kty":"RSA","n":"{{Base64Url.EncodeToString(p.Modulus)}}","e":"AQAB","kid":"{{TokenForge.Kid}}"}]}""";
        var verifier = GrantTokenVerifier.FromJwks(jwks, _forge.Clock);

        Assert.Equal(TokenCheck.BadSignature, (await verifier.VerifyAsync(_forge.Sign(_forge.Claims()), Options)).Check);
    }

    [Fact]
    public async Task a_token_verified_before_is_still_checked_for_expiry_options_and_its_key_on_every_call()
    {
        var keys = new Dictionary<string, RsaSecurityKey> { [TokenForge.Kid] = _forge.Key };
        var verifier = new GrantTokenVerifier(() => keys, _forge.Clock);
        var token = _forge.Sign(_forge.Claims(lifetimeSeconds: 60) with { Audience = "https://api.example.com" });

        Assert.True((await verifier.VerifyAsync(token, Options)).IsValid);
        Assert.True((await verifier.VerifyAsync(token, Options)).IsValid);
        Assert.Equal(TokenCheck.WrongAudience, (await verifier.VerifyAsync(token, new GrantTokenVerifierOptions { Issuer = TokenForge.Issuer, Audience = "https://other.example" })).Check);
        Assert.Equal(TokenCheck.InsufficientScope, (await verifier.VerifyAsync(token, new GrantTokenVerifierOptions { Issuer = TokenForge.Issuer, RequiredScopes = ["admin"] })).Check);
        Assert.Equal(TokenCheck.WrongIssuer, (await verifier.VerifyAsync(token, new GrantTokenVerifierOptions { Issuer = "https://elsewhere.test" })).Check);

        // A key that is no longer published (retired, or replaced under the same kid) no longer vouches for it.
        using var replacement = RSA.Create(2048);
        keys[TokenForge.Kid] = new RsaSecurityKey(replacement) { KeyId = TokenForge.Kid };
        Assert.Equal(TokenCheck.BadSignature, (await verifier.VerifyAsync(token, Options)).Check);
        keys.Clear();
        Assert.Equal(TokenCheck.UnknownKey, (await verifier.VerifyAsync(token, Options)).Check);

        keys[TokenForge.Kid] = _forge.Key;
        Assert.True((await verifier.VerifyAsync(token, Options)).IsValid);
        _forge.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(TokenCheck.Expired, (await verifier.VerifyAsync(token, Options)).Check);
    }

    [Fact]
    public async Task a_token_differing_by_one_signature_character_from_a_verified_one_is_not_taken_for_it()
    {
        var verifier = _forge.Verifier();
        var token = _forge.Sign(_forge.Claims());
        Assert.True((await verifier.VerifyAsync(token, Options)).IsValid);

        var last = token[^2] == 'A' ? 'B' : 'A';
        var altered = token[..^2] + last + token[^1];
        Assert.Equal(TokenCheck.BadSignature, (await verifier.VerifyAsync(altered, Options)).Check);
        var payload = _forge.Payload();
        payload["scp"] = new JsonArray("read", "write", "admin");
        var parts = token.Split('.');
        Assert.Equal(TokenCheck.BadSignature, (await verifier.VerifyAsync(parts[0] + "." + TokenForge.Segment(payload) + "." + parts[2], Options)).Check);
    }

    public void Dispose() => _forge.Dispose();

    private Task<TokenVerification> VerifyAsync(string token) => _forge.Verifier().VerifyAsync(token, Options);
}
