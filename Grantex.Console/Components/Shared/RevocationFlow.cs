using Grantex.Console.Components.Pages.Grants;
using Grantex.Console.Components.Shared.Dialogs;
using Grantex.Core.Agents;
using Grantex.Core.Grants;
using MudBlazor;

namespace Grantex.Console.Components.Shared;

/// <summary>
/// One-click revocation as every screen does it: preview what would be cut off, show the dialog naming the verb, the
/// count and the objects, revoke on confirmation (the server checks the role again), and repeat the count in a snackbar.
/// </summary>
public sealed class RevocationFlow(GrantAdmin grants, AgentService agents, IDialogService dialogs, ISnackbar snackbar)
{
    /// <summary>Returns how many grants were revoked, or null when nothing happened (cancelled, nothing active, refused).</summary>
    public async Task<int?> RevokeAsync(RevocationTarget target, string? subjectName = null)
    {
        var preview = await grants.PreviewAsync(target);
        if (!preview.IsSuccess)
        {
            snackbar.Add(preview.Error.Message, Severity.Error);
            return null;
        }

        if (preview.Value.Grants.Count == 0)
        {
            snackbar.Add("Nothing to revoke: no active grant is left there.", Severity.Info);
            return null;
        }

        var names = await agents.GetNamesAsync(preview.Value.Grants.Select(g => g.AgentId));
        if (!await dialogs.ConfirmRevocationAsync(preview.Value, names, subjectName))
        {
            return null;
        }

        var result = await grants.RevokeAsync(target);
        if (!result.IsSuccess)
        {
            snackbar.Add(result.Error.Message, Severity.Error);
            return null;
        }

        snackbar.Add(RevocationText.Done(result.Value, preview.Value), Severity.Success);
        return result.Value;
    }
}
