namespace Grantex.Core.Developers;

/// <summary>When the consent page asks the person to prove presence with a passkey.</summary>
public enum PresenceRequirement
{
    Never,
    Always,
    HighRiskScopes,
}
