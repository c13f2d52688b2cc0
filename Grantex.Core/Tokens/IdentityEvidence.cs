using Grantex.Core.Identity;

namespace Grantex.Core.Tokens;

/// <summary>
/// How the person who approved was identified, as a grant token carries it (README, "Proving who approved"):
/// <c>acr</c> = <c>urn:grantex:acr:none|sso|passkey</c>, <c>amr</c> with RFC 8176 values (<c>fed</c> for a sign-in at
/// the developer's identity provider, plus the provider's own registered values such as <c>pwd</c> or <c>mfa</c>), and
/// <c>idv</c> = <c>{m, iss, sub, at}</c>: the method, the identity provider's issuer and subject, and when (Unix seconds).
/// </summary>
public sealed record IdentityEvidence(IdentityLevel Level, string? Issuer, string? Subject, long? At, IReadOnlyList<string> Amr)
{
    /// <summary>No verified identity: only a browser that held the consent link.</summary>
    public static IdentityEvidence None { get; } = new(IdentityLevel.None, null, null, null, []);

    /// <summary>RFC 8176 §2 registered values; an identity provider's other <c>amr</c> values are not repeated.</summary>
    public static readonly IReadOnlySet<string> RegisteredAmr = new HashSet<string>(StringComparer.Ordinal)
    {
        "face", "fpt", "geo", "hwk", "iris", "kba", "mca", "mfa", "otp", "pin", "pop", "pwd", "rba", "retina", "sc", "sms", "swk", "tel", "user", "vbm", "wia",
    };

    /// <summary>The token's <c>amr</c> for this identity (empty for <see cref="IdentityLevel.None"/>).</summary>
    public IReadOnlyList<string> TokenAmr => Level != IdentityLevel.None && Issuer is not null
        ? ["fed", .. Amr.Where(RegisteredAmr.Contains).Distinct(StringComparer.Ordinal)]
        : [];
}
