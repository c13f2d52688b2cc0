using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Anomalies;
using Grantex.Core.Common;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Grantex.Console.Components.Pages.Anomalies;

/// <summary>
/// The anomalies screen: filters in the query string, live refresh when anomalies are detected or acknowledged
/// anywhere (API, background detector, another console), acknowledge and "run detection now" for administrators.
/// </summary>
public partial class Anomalies
{
    private static readonly DialogOptions FormOptions = new() { CloseOnEscapeKey = true, BackdropClick = false, MaxWidth = MaxWidth.Small, FullWidth = true };
    private IReadOnlyList<Anomaly>? _items;
    private int _total;
    private string? _problem;
    private bool _canManage;
    private bool _detecting;
    private ChangeSubscription? _changes;

    [Inject] private AnomalyAdmin Admin { get; set; } = default!;

    [Inject] private OperatorAccess Access { get; set; } = default!;

    [Inject] private ChangeNotifier Changes { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "dev")] public string? Dev { get; set; }

    /// <summary>open (default), acknowledged or all.</summary>
    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }

    [SupplyParameterFromQuery(Name = "type")] public string? Type { get; set; }

    [SupplyParameterFromQuery(Name = "severity")] public string? Severity { get; set; }

    [SupplyParameterFromQuery(Name = "agent")] public string? Agent { get; set; }

    private string CountText => _total > _items!.Count
        ? $"Showing the newest {_items.Count} of {_total} anomalies."
        : _total == 1 ? "1 anomaly." : $"{_total} anomalies.";

    protected override async Task OnInitializedAsync()
    {
        _canManage = (await Access.CurrentAsync())?.Can(ConsolePermission.Manage) == true;
        _changes = new ChangeSubscription(Changes, RendererInfo, n => n.Kind == ChangeKind.AnomaliesChanged && (Dev is null || n.DeveloperId == Dev), InvokeAsync, LoadAsync);
    }

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var filter = AnomalyFilter.Parse(
            Status switch { "acknowledged" => "false", "all" => null, _ => "true" },
            Type, Severity, Agent, null);
        if (!filter.IsSuccess)
        {
            _problem = filter.Error.Message;
            return;
        }

        var result = await Admin.ListAsync(string.IsNullOrEmpty(Dev) ? null : Dev, filter.Value);
        _problem = result.IsSuccess ? null : result.Error.Message;
        (_items, _total) = result.IsSuccess ? (result.Value.Items, result.Value.Total) : (null, 0);
        StateHasChanged();
    }

    private void SetFilter(string name, string? value) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter(name, string.IsNullOrWhiteSpace(value) ? null : value.Trim()));

    private async Task DetectAsync()
    {
        _detecting = true;
        var result = await Admin.DetectAsync(string.IsNullOrEmpty(Dev) ? null : Dev);
        _detecting = false;
        if (!result.IsSuccess)
        {
            Snackbar.Add(result.Error.Message, MudBlazor.Severity.Error);
            return;
        }

        var (created, holding, revoked) = result.Value;
        var text = $"Detection ran: {created} new, {holding} holding now" + (revoked > 0 ? $", {revoked} grants revoked automatically." : ".");
        Snackbar.Add(text, created > 0 ? MudBlazor.Severity.Warning : MudBlazor.Severity.Success);
        await LoadAsync();
    }

    private async Task AcknowledgeAsync(Anomaly anomaly)
    {
        var parameters = new DialogParameters<AcknowledgeDialog> { { d => d.Anomaly, anomaly } };
        var dialog = await Dialogs.ShowAsync<AcknowledgeDialog>($"Acknowledge {anomaly.Id}", parameters, FormOptions);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add($"Anomaly {anomaly.Id} acknowledged.", MudBlazor.Severity.Success);
            await LoadAsync();
        }
    }

    public void Dispose() => _changes?.Dispose();
}
