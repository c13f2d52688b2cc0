using Grantex.Core.Identity;

namespace Grantex.Core.Developers;

public sealed class Developer
{
    public required string Id { get; init; }

    public required string Name { get; set; }

    public string? Email { get; set; }

    public DeveloperMode Mode { get; set; }

    /// <summary>When a consent must be confirmed with a passkey.</summary>
    public PresenceRequirement PresenceRequirement { get; set; }

    public string? FidoRpName { get; set; }

    /// <summary>How the person answering a consent must be identified (<c>principalAuthentication</c>; default none).</summary>
    public IdentityLevel PrincipalAuthentication { get; set; }

    public DateTime CreatedAt { get; init; }

    public bool IsSandbox => Mode == DeveloperMode.Sandbox;
}
