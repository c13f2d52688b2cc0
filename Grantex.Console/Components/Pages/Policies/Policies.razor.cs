using System.Globalization;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Agents;
using Grantex.Console.Components.Shared;
using Grantex.Console.Components.Shared.Dialogs;
using Grantex.Core.Agents;
using Grantex.Core.Common;
using Grantex.Core.Policies;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Grantex.Console.Components.Pages.Policies;

public partial class Policies
{
    private static readonly DialogOptions FormOptions = new() { CloseOnEscapeKey = true, BackdropClick = false, MaxWidth = MaxWidth.Small, FullWidth = true };
    private IReadOnlyList<Policy>? _policies;
    private IReadOnlyList<(string Id, string Name)> _agents = [];
    private IReadOnlyDictionary<string, string> _agentNames = new Dictionary<string, string>();
    private string? _problem;
    private bool _canManage;
    private string? _loadedFor;
    private ChangeSubscription? _changes;
    private string? _tryAgent;
    private string? _tryPrincipal;
    private string? _tryScopes;
    private string? _tryTime;
    private string? _tryError;
    private PolicyDecision? _decision;

    [Inject] private PolicyAdmin Admin { get; set; } = default!;

    [Inject] private AgentAdmin AgentsAdmin { get; set; } = default!;

    [Inject] private OperatorAccess Access { get; set; } = default!;

    [Inject] private ChangeNotifier Changes { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "dev")] public string? Dev { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _canManage = (await Access.CurrentAsync())?.Can(ConsolePermission.Manage) == true;
        _changes = new ChangeSubscription(Changes, RendererInfo, n => n.Kind == ChangeKind.PolicyChanged && n.DeveloperId == Dev, InvokeAsync, LoadAsync);
    }

    protected override async Task OnParametersSetAsync()
    {
        if (Dev != _loadedFor)
        {
            _loadedFor = Dev;
            _decision = null;
            _tryError = null;
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        if (Dev is null)
        {
            _policies = null;
            return;
        }

        var result = await Admin.ListAsync(Dev);
        _problem = result.IsSuccess ? null : result.Error.Message;
        _policies = result.IsSuccess ? result.Value : null;
        var agents = await AgentsAdmin.ListAsync(Dev, AgentStatus.Active, null, 100);
        _agents = agents.IsSuccess ? [.. agents.Value.Items.Select(a => (a.Agent.Id, a.Agent.Name))] : [];
        _agentNames = _agents.ToDictionary(a => a.Id, a => a.Name, StringComparer.Ordinal);
        _tryAgent ??= _agents.Count > 0 ? _agents[0].Id : null;
        StateHasChanged();
    }

    private void SelectDeveloper(string? developerId) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("dev", developerId));

    private async Task CreateAsync()
    {
        var parameters = new DialogParameters<PolicyEditDialog> { { d => d.DeveloperId, Dev! }, { d => d.Agents, _agents } };
        var dialog = await Dialogs.ShowAsync<PolicyEditDialog>("Create a policy", parameters, FormOptions);
        if (await dialog.Result is { Canceled: false, Data: Policy created })
        {
            Snackbar.Add($"Policy {created.Name} created ({created.Id}).", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task EditAsync(Policy policy)
    {
        var parameters = new DialogParameters<PolicyEditDialog> { { d => d.DeveloperId, Dev! }, { d => d.Policy, policy }, { d => d.Agents, _agents } };
        var dialog = await Dialogs.ShowAsync<PolicyEditDialog>($"Edit policy {policy.Name}", parameters, FormOptions);
        if (await dialog.Result is { Canceled: false, Data: Policy saved })
        {
            Snackbar.Add($"Policy {saved.Name} saved.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task DeleteAsync(Policy policy)
    {
        string[] consequences = policy.Effect == PolicyEffect.Deny
            ? ["Requests it refuses today are decided by the other policies, or go to the consent screen."]
            : ["Requests it approves at once today are decided by the other policies, or go to the consent screen."];
        if (!await Dialogs.ConfirmAsync($"Delete policy {policy.Name} ({policy.Id})", "Delete policy", consequences))
        {
            return;
        }

        var result = await Admin.DeleteAsync(Dev!, policy.Id);
        Snackbar.Add(result.IsSuccess ? $"Policy {policy.Name} deleted." : result.Error.Message, result.IsSuccess ? Severity.Success : Severity.Error);
        await LoadAsync();
    }

    private async Task DryRunAsync()
    {
        DateTime? at = null;
        if (!string.IsNullOrWhiteSpace(_tryTime))
        {
            if (!DateTime.TryParse(_tryTime, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                _tryError = "At must be a date and time such as 2026-03-01T22:30Z.";
                return;
            }

            at = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
        }

        var scopes = (_tryScopes ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = await Admin.DryRunAsync(Dev!, _tryAgent, _tryPrincipal, scopes, at);
        _tryError = result.IsSuccess ? null : result.Error.Message;
        _decision = result.IsSuccess ? result.Value : null;
    }

    private static string Outcome(PolicyDecision d) =>
        d.IsDenied ? "Denied (403 POLICY_DENIED)" : d.IsAllowed ? "Approved at once" : "No policy decides: consent screen";

    public void Dispose() => _changes?.Dispose();
}
