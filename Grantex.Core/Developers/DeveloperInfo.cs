using Grantex.Core.Identity;

namespace Grantex.Core.Developers;

/// <summary>An immutable snapshot of a developer, as authenticated requests see it.</summary>
public sealed record DeveloperInfo(
    string Id,
    string Name,
    string? Email,
    DeveloperMode Mode,
    PresenceRequirement PresenceRequirement,
    string? FidoRpName,
    DateTime CreatedAt,
    IdentityLevel PrincipalAuthentication = IdentityLevel.None)
{
    public bool IsSandbox => Mode == DeveloperMode.Sandbox;

    public static DeveloperInfo From(Developer d) => new(d.Id, d.Name, d.Email, d.Mode, d.PresenceRequirement, d.FidoRpName, d.CreatedAt, d.PrincipalAuthentication);
}
