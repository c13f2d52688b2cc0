using Grantex.Core.Identity;

namespace Grantex.Core.Developers;

/// <summary>Fields of <c>PATCH /v1/me</c>; null means unchanged.</summary>
public sealed record DeveloperSettingsUpdate(bool? FidoRequired, string? FidoRpName, PresenceRequirement? PresenceRequirement,
    IdentityLevel? PrincipalAuthentication = null);
