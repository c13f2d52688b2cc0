using Grantex.Core.Consent;

namespace Grantex.Core.Tests.Consent;

public class PkceTests
{
    // RFC 7636 Appendix B.
    private const string RfcVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private const string RfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    [Fact]
    public void the_rfc_7636_verifier_hashes_to_the_rfc_7636_challenge()
    {
        Assert.Equal(RfcChallenge, Pkce.ChallengeFor(RfcVerifier));
        Assert.True(Pkce.Matches(RfcVerifier, RfcChallenge));
    }

    [Fact]
    public void a_different_verifier_does_not_match()
    {
        Assert.False(Pkce.Matches(RfcVerifier[..^1] + "Y", RfcChallenge));
    }

    [Fact]
    public void the_challenge_itself_used_as_verifier_does_not_match_as_plain_would()
    {
        Assert.False(Pkce.Matches(RfcChallenge, RfcChallenge));
    }

    [Fact]
    public void challenge_comparison_is_case_sensitive()
    {
        Assert.False(Pkce.Matches(RfcVerifier, RfcChallenge.ToUpperInvariant()));
    }

    [Theory]
    [InlineData(RfcVerifier)]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456")] // 43, the minimum
    [InlineData("a.b_c~d-")]
    public void well_formed_verifiers_are_accepted(string verifier)
    {
        var padded = verifier.Length < 43 ? verifier + new string('x', 43 - verifier.Length) : verifier;

        Assert.True(Pkce.IsValidVerifier(padded));
        Assert.True(Pkce.IsValidVerifier(new string('A', 128)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ012345")] // 42: too short
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX+")] // '+' is not unreserved
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX/")]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX=")]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r wW1gFWFOEjXk")]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXé")]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk\n")] // a trailing newline must not slip past the anchor
    public void malformed_verifiers_are_refused(string? verifier)
    {
        Assert.False(Pkce.IsValidVerifier(verifier));
        Assert.False(Pkce.Matches(verifier ?? "", RfcChallenge));
    }

    [Fact]
    public void a_verifier_longer_than_128_characters_is_refused()
    {
        Assert.False(Pkce.IsValidVerifier(new string('A', 129)));
    }

    [Fact]
    public void the_rfc_challenge_is_well_formed()
    {
        Assert.True(Pkce.IsValidChallenge(RfcChallenge));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c")] // 42
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=")] // padded
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")] // standard base64
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw/cM")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\n")]
    [InlineData(" E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")]
    public void malformed_challenges_are_refused(string? challenge)
    {
        Assert.False(Pkce.IsValidChallenge(challenge));
    }
}
