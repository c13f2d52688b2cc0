using System.Text;
using System.Text.Json;
using Grantex.Core.Tokens;

namespace Grantex.Core.Tests.Tokens;

public class GrantTokenIssuerTests
{
    private static readonly string Awkward = "what? ~tilde~ a>b <script> & 'q' \"dq\" \\ é 日本 😀 \u007f\u2028";

    [Fact]
    public void the_payload_is_ascii_only_with_question_mark_tilde_and_greater_than_escaped()
    {
        using var forge = new TokenForge();

        var payload = GrantTokenIssuer.Payload(AwkwardClaims(forge));

        Assert.All(payload, c => Assert.True(c < 0x7F && c >= 0x20, $"character U+{(int)c:X4} in the payload"));
        Assert.DoesNotContain('?', payload);
        Assert.DoesNotContain('~', payload);
        Assert.DoesNotContain('>', payload);
    }

    [Fact]
    public void the_payload_segment_decodes_with_plain_base64_and_round_trips_every_value()
    {
        using var forge = new TokenForge();
        var claims = AwkwardClaims(forge);

        var segment = forge.Sign(claims).Split('.')[1];
        var padded = segment + new string('=', (4 - (segment.Length % 4)) % 4);

        Assert.DoesNotContain('-', segment);
        Assert.DoesNotContain('_', segment);
        using var json = JsonDocument.Parse(Convert.FromBase64String(padded)); // atob-equivalent: throws on '-' or '_'
        var root = json.RootElement;
        Assert.Equal(Awkward, root.GetProperty("sub").GetString());
        Assert.Equal(Awkward, root.GetProperty("aud").GetString());
        Assert.Equal(claims.Issuer, root.GetProperty("iss").GetString());
        Assert.Equal(claims.Scopes, root.GetProperty("scp").EnumerateArray().Select(e => e.GetString()!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void no_alignment_of_an_awkward_value_produces_a_base64url_only_character(int shift)
    {
        using var forge = new TokenForge();
        var claims = forge.Claims() with { Subject = new string('a', shift) + "???~~~>>>\u007f\u007f\u007f" };

        var segment = Encoding.ASCII.GetBytes(GrantTokenIssuer.Payload(claims));
        var base64 = Convert.ToBase64String(segment);

        Assert.DoesNotContain('+', base64);
        Assert.DoesNotContain('/', base64);
    }

    [Fact]
    public void the_payload_carries_the_reference_claims_and_omits_absent_optional_ones()
    {
        using var forge = new TokenForge();

        using var json = JsonDocument.Parse(GrantTokenIssuer.Payload(forge.Claims()));
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();

        Assert.Equal(["iss", "sub", "agt", "dev", "scp", "grnt", "iat", "exp", "jti"], names);
    }

    [Fact]
    public void delegation_and_presence_claims_are_written_when_present()
    {
        using var forge = new TokenForge();
        var claims = forge.Claims() with
        {
            ParentAgentDid = "did:grantex:ag_parent",
            ParentGrantId = "grnt_parent",
            DelegationDepth = 2,
            Presence = new PresenceEvidence(forge.Now - 5, "ab12", UserVerified: true, Enrolment: "sso"),
        };

        using var json = JsonDocument.Parse(GrantTokenIssuer.Payload(claims));
        var root = json.RootElement;

        Assert.Equal("did:grantex:ag_parent", root.GetProperty("parentAgt").GetString());
        Assert.Equal("grnt_parent", root.GetProperty("parentGrnt").GetString());
        Assert.Equal(2, root.GetProperty("delegationDepth").GetInt32());
        Assert.Equal(["hwk", "user"], root.GetProperty("amr").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(forge.Now - 5, root.GetProperty("presence").GetProperty("at").GetInt64());
        Assert.Equal("ab12", root.GetProperty("presence").GetProperty("cred").GetString());
        Assert.True(root.GetProperty("presence").GetProperty("uv").GetBoolean());
        Assert.Equal("sso", root.GetProperty("presence").GetProperty("enr").GetString());
    }

    [Theory]
    [InlineData("developer_api")]
    [InlineData("consent_page")]
    [InlineData(null)]
    public void a_passkey_the_developer_could_hold_says_pop_not_hwk(string? enrolment)
    {
        using var forge = new TokenForge();
        var claims = forge.Claims() with { Presence = new PresenceEvidence(forge.Now - 5, "ab12", UserVerified: true, enrolment) };

        using var json = JsonDocument.Parse(GrantTokenIssuer.Payload(claims));

        Assert.Equal(["pop"], json.RootElement.GetProperty("amr").EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public void the_header_is_rs256_with_the_signing_key_id()
    {
        using var forge = new TokenForge();

        var header = forge.Sign(forge.Claims()).Split('.')[0];
        using var json = JsonDocument.Parse(Convert.FromBase64String(header + new string('=', (4 - (header.Length % 4)) % 4)));

        Assert.Equal("RS256", json.RootElement.GetProperty("alg").GetString());
        Assert.Equal(TokenForge.Kid, json.RootElement.GetProperty("kid").GetString());
    }

    private static GrantTokenClaims AwkwardClaims(TokenForge forge) => forge.Claims() with
    {
        Subject = Awkward,
        Audience = Awkward,
        Issuer = "https://grantex.test/?x=~y>",
        Scopes = ["read?", "~write", "a>b", "ünïcode"],
    };
}
