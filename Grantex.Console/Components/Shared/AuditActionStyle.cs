using Grantex.Core.Audit;
using MudBlazor;

namespace Grantex.Console.Components.Shared;

/// <summary>
/// How the console shows an audit action, read from the catalogue (<see cref="AuditActions"/>): an icon per category,
/// a colour per outcome (revocations and refusals stand out from the rest) and the human label. Actions a developer
/// logged under its own names are shown as they are.
/// </summary>
public static class AuditActionStyle
{
    public static string Icon(string action) => AuditActions.Describe(action).Category switch
    {
        AuditCategory.Grant or AuditCategory.Token when AuditActions.Describe(action).Outcome == AuditOutcome.Revocation => Icons.Material.Outlined.Block,
        AuditCategory.Grant => Icons.Material.Outlined.VerifiedUser,
        AuditCategory.Token => Icons.Material.Outlined.Token,
        AuditCategory.Agent => Icons.Material.Outlined.SmartToy,
        AuditCategory.Consent => Icons.Material.Outlined.HowToReg,
        AuditCategory.Console when AuditActions.Describe(action).Outcome == AuditOutcome.Refusal => Icons.Material.Outlined.GppBad,
        AuditCategory.Console => Icons.Material.Outlined.AdminPanelSettings,
        AuditCategory.Developer or AuditCategory.SigningKey or AuditCategory.Passkey => Icons.Material.Outlined.Key,
        AuditCategory.Compliance => Icons.Material.Outlined.Inventory2,
        AuditCategory.Policy => Icons.Material.Outlined.Rule,
        AuditCategory.Webhook => Icons.Material.Outlined.Webhook,
        AuditCategory.Anomaly => Icons.Material.Outlined.ReportProblem,
        AuditCategory.Principal => Icons.Material.Outlined.Badge,
        _ => Icons.Material.Outlined.Circle,
    };

    public static Color Color(string action) => AuditActions.Describe(action).Outcome switch
    {
        AuditOutcome.Revocation or AuditOutcome.Failure => MudBlazor.Color.Error,
        AuditOutcome.Refusal => MudBlazor.Color.Warning,
        AuditOutcome.Change => MudBlazor.Color.Info,
        _ => MudBlazor.Color.Success,
    };

    public static string Label(string action) => AuditActions.Describe(action).Label;
}
