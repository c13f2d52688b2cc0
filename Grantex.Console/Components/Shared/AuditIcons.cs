using MudBlazor;

namespace Grantex.Console.Components.Shared;

/// <summary>An icon per family of audit action, so a timeline can be scanned.</summary>
public static class AuditIcons
{
    public static string For(string action) => action switch
    {
        _ when action.StartsWith("grant.revoked", StringComparison.Ordinal) || action.StartsWith("token.revoked", StringComparison.Ordinal) => Icons.Material.Outlined.Block,
        _ when action.StartsWith("grant.", StringComparison.Ordinal) => Icons.Material.Outlined.VerifiedUser,
        _ when action.StartsWith("token.", StringComparison.Ordinal) => Icons.Material.Outlined.Token,
        _ when action.StartsWith("agent.", StringComparison.Ordinal) => Icons.Material.Outlined.SmartToy,
        _ when action.StartsWith("consent.", StringComparison.Ordinal) || action.StartsWith("authorize", StringComparison.Ordinal) => Icons.Material.Outlined.HowToReg,
        _ when action.StartsWith("console.", StringComparison.Ordinal) => Icons.Material.Outlined.AdminPanelSettings,
        _ when action.Contains("key", StringComparison.Ordinal) => Icons.Material.Outlined.Key,
        _ => Icons.Material.Outlined.Circle,
    };
}
