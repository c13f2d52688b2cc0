using Grantex.Core.Developers;
using Grantex.Core.Identity;

namespace Grantex.Console.Api.Contracts;

public sealed record MeResponse(
    string DeveloperId, string Name, string? Email, string Mode, string Plan, bool FidoRequired, string PresenceRequirement,
    string? FidoRpName, DateTime CreatedAt, string PrincipalAuthentication)
{
    public static MeResponse From(DeveloperInfo d) => new(
        d.Id, d.Name, d.Email, d.IsSandbox ? "sandbox" : "live", "enterprise", d.PresenceRequirement != Core.Developers.PresenceRequirement.Never,
        PresenceRequirementNames.ToWire(d.PresenceRequirement), d.FidoRpName, d.CreatedAt,
        IdentityLevels.ToWire(d.PrincipalAuthentication));
}

public sealed record UpdateMeRequest(bool? FidoRequired, string? FidoRpName, string? PresenceRequirement, string? PrincipalAuthentication = null);

public sealed record UpdateMeResponse(bool Updated, bool FidoRequired, string PresenceRequirement, string PrincipalAuthentication);

public sealed record RotateKeyResponse(string ApiKey, DateTime RotatedAt);

public sealed record SignupRequest(string? Name, string? Email, string? Mode);

public sealed record SignupResponse(string DeveloperId, string ApiKey, string Name, string? Email, string Mode, DateTime CreatedAt);

public static class PresenceRequirementNames
{
    public static string ToWire(PresenceRequirement r) => r switch
    {
        PresenceRequirement.Always => "always",
        PresenceRequirement.HighRiskScopes => "high_risk",
        _ => "never",
    };

    public static PresenceRequirement? FromWire(string? s) => s switch
    {
        "always" => PresenceRequirement.Always,
        "high_risk" => PresenceRequirement.HighRiskScopes,
        "never" => PresenceRequirement.Never,
        _ => null,
    };
}
