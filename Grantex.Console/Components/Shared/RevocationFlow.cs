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

    /// <summary>
    /// Every active grant of a principal id under every developer that has some: one dialog naming the count and the
    /// developers, then one revocation per developer (each audited in that developer's chain, as a single revoke-all is).
    /// </summary>
    public async Task<int?> RevokePrincipalEverywhereAsync(string principalId)
    {
        var previews = await grants.PreviewPrincipalEverywhereAsync(principalId);
        if (!previews.IsSuccess)
        {
            snackbar.Add(previews.Error.Message, Severity.Error);
            return null;
        }

        if (previews.Value.Count == 0)
        {
            snackbar.Add("Nothing to revoke: no active grant is left there.", Severity.Info);
            return null;
        }

        var combined = new RevocationPreview(
            new RevocationTarget(RevocationScope.Principal, "", principalId),
            [.. previews.Value.SelectMany(p => p.Preview.Grants)],
            [.. previews.Value.SelectMany(p => p.Preview.Tokens)],
            previews.Value.Sum(p => p.Preview.RefreshTokens));
        var names = await agents.GetNamesAsync(combined.Grants.Select(g => g.AgentId));
        var across = previews.Value.Select(p => (p.DeveloperName, p.Preview.Grants.Count)).ToList();
        if (!await dialogs.ConfirmRevocationAsync(combined, names, developers: across))
        {
            return null;
        }

        var total = 0;
        foreach (var (_, preview) in previews.Value)
        {
            var result = await grants.RevokeAsync(preview.Target);
            if (!result.IsSuccess && result.Error.Kind != Core.Common.GxErrorKind.NotFound)
            {
                snackbar.Add(result.Error.Message + (total > 0 ? $" ({RevocationText.Grants(total)} were revoked before that.)" : ""), Severity.Error);
                return total == 0 ? null : total;
            }

            total += result.IsSuccess ? result.Value : 0;
        }

        snackbar.Add(RevocationText.Done(total, combined) + $" across {RevocationText.Developers(across.Count)}", Severity.Success);
        return total;
    }
}
