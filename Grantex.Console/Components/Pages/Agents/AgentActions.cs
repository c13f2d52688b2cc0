using Grantex.Console.Components.Shared;
using Grantex.Console.Components.Shared.Dialogs;
using Grantex.Core.Agents;
using MudBlazor;

namespace Grantex.Console.Components.Pages.Agents;

/// <summary>
/// Agent changes with their dialogs: create and edit, suspend and reactivate (saying what stops and what keeps working),
/// delete (naming the grants it revokes). Shared by the list and the detail page; the server checks the role each time.
/// </summary>
public sealed class AgentActions(AgentAdmin agents, IDialogService dialogs, ISnackbar snackbar, TimeProvider time)
{
    private static readonly DialogOptions FormOptions = new() { CloseOnEscapeKey = true, BackdropClick = false, MaxWidth = MaxWidth.Small, FullWidth = true };

    public async Task<Agent?> CreateAsync(string? developerId)
    {
        var dialog = await dialogs.ShowAsync<AgentEditDialog>("Create an agent", new DialogParameters<AgentEditDialog> { { d => d.DeveloperId, developerId } }, FormOptions);
        if (await dialog.Result is { Canceled: false, Data: Agent created })
        {
            snackbar.Add($"Agent {created.Name} created ({created.Id}).", Severity.Success);
            return created;
        }

        return null;
    }

    public async Task<Agent?> EditAsync(Agent agent)
    {
        var dialog = await dialogs.ShowAsync<AgentEditDialog>($"Edit agent {agent.Name}", new DialogParameters<AgentEditDialog> { { d => d.Agent, agent } }, FormOptions);
        if (await dialog.Result is { Canceled: false, Data: Agent saved })
        {
            snackbar.Add($"Agent {saved.Name} saved.", Severity.Success);
            return saved;
        }

        return null;
    }

    public async Task<bool> SuspendAsync(Agent agent)
    {
        var impact = await agents.ImpactAsync(agent.Id);
        if (!impact.IsSuccess)
        {
            snackbar.Add(impact.Error.Message, Severity.Error);
            return false;
        }

        var p = impact.Value;
        var lastExpiry = p.Tokens.Count == 0 ? "" : $" (the last one expires {TimeText.Relative(p.Tokens.Max(t => t.ExpiresAt), time.GetUtcNow().UtcDateTime)})";
        string[] consequences =
        [
            "New authorization requests, consent approvals and code exchanges for this agent are refused.",
            "Refreshing its tokens is refused, and no grant can be delegated to it.",
            $"Its {RevocationText.Grants(p.Roots.Count)} stay active: the {p.Tokens.Count} grant token{(p.Tokens.Count == 1 ? "" : "s")} already issued keep verifying until they expire{lastExpiry}. To cut them off now, revoke its grants instead.",
            "You can reactivate it at any time.",
        ];
        if (!await dialogs.ConfirmAsync($"Suspend agent {agent.Name}", "Suspend agent", consequences, color: Color.Warning))
        {
            return false;
        }

        return Report(await agents.UpdateAsync(agent.Id, new AgentInput(null, null, null, null, AgentStatus.Suspended, agent.Version)), $"Agent {agent.Name} suspended.");
    }

    public async Task<bool> ReactivateAsync(Agent agent)
    {
        string[] consequences = ["Authorization requests, code exchanges, refreshes and delegations for this agent work again."];
        if (!await dialogs.ConfirmAsync($"Reactivate agent {agent.Name}", "Reactivate agent", consequences, color: Color.Primary))
        {
            return false;
        }

        return Report(await agents.UpdateAsync(agent.Id, new AgentInput(null, null, null, null, AgentStatus.Active, agent.Version)), $"Agent {agent.Name} reactivated.");
    }

    public async Task<bool> DeleteAsync(Agent agent)
    {
        var impact = await agents.ImpactAsync(agent.Id);
        if (!impact.IsSuccess)
        {
            snackbar.Add(impact.Error.Message, Severity.Error);
            return false;
        }

        var p = impact.Value;
        var delegated = p.Grants.Count - p.Roots.Count;
        string[] consequences =
        [
            $"The agent disappears from the API; {agent.Id} can no longer authorize, exchange codes or refresh.",
            $"Its {RevocationText.Grants(p.Roots.Count)}{(delegated > 0 ? $" and {delegated} grant{(delegated == 1 ? "" : "s")} delegated from them" : "")} are revoked now: "
                + $"{p.Tokens.Count} grant token{(p.Tokens.Count == 1 ? "" : "s")} stop verifying and {p.RefreshTokens} refresh token{(p.RefreshTokens == 1 ? "" : "s")} stop working.",
            "Its grant records and audit entries are kept as evidence.",
            "This cannot be undone.",
        ];
        var title = p.Grants.Count == 0 ? $"Delete agent {agent.Name}" : $"Delete agent {agent.Name} and revoke {RevocationText.Grants(p.Grants.Count)}";
        if (!await dialogs.ConfirmAsync(title, "Delete agent", consequences))
        {
            return false;
        }

        var result = await agents.DeleteAsync(agent.Id);
        return Report(result, result.IsSuccess ? $"Agent {agent.Name} deleted; {RevocationText.Grants(result.Value)} revoked." : "");
    }

    private bool Report<T>(Grantex.Core.Common.Result<T> result, string success)
    {
        snackbar.Add(result.IsSuccess ? success : result.Error.Message, result.IsSuccess ? Severity.Success : Severity.Error);
        return result.IsSuccess;
    }
}
