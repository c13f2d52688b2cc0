namespace Grantex.Core.Identity;

/// <summary>The wire names of <see cref="IdentityLevel"/> (<c>none</c>, <c>sso</c>, <c>passkey</c>) and the token's <c>acr</c> values.</summary>
public static class IdentityLevels
{
    /// <summary>The <c>acr</c> claim's value per level: URNs of ours, since RFC 8176 registers <c>amr</c> values only.</summary>
    public const string AcrPrefix = "urn:grantex:acr:";

    public static string ToWire(IdentityLevel level) => level switch
    {
        IdentityLevel.Sso => "sso",
        IdentityLevel.Passkey => "passkey",
        _ => "none",
    };

    public static IdentityLevel? FromWire(string? value) => value switch
    {
        "none" => IdentityLevel.None,
        "sso" => IdentityLevel.Sso,
        "passkey" => IdentityLevel.Passkey,
        _ => null,
    };

    public static string Acr(IdentityLevel level) => AcrPrefix + ToWire(level);
}
