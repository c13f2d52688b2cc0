using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Agents;
using Grantex.Core.Common;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Grantex.Console.Components.Pages.Agents;

public partial class Agents
{
    private const int PageSize = 25;
    private readonly Stack<string?> _history = new();
    private MudDataGrid<AgentRow>? _grid;
    private IReadOnlyList<FilterChip> _chips = [];
    private string? _problem;
    private string? _next;
    private bool _canManage;
    private string? _filterKey;
    private ChangeSubscription? _changes;

    [SupplyParameterFromQuery(Name = "dev")] public string? Dev { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    [SupplyParameterFromQuery(Name = "after")] public string? After { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _canManage = (await Access.CurrentAsync())?.Can(ConsolePermission.Manage) == true;
        _changes = new ChangeSubscription(Changes, RendererInfo, n => n.Kind == ChangeKind.AgentChanged && (Dev is null || n.DeveloperId == Dev), InvokeAsync, ReloadAsync);
    }

    protected override async Task OnParametersSetAsync()
    {
        var key = $"{Dev}|{Q}|{Status}";
        if (key != _filterKey)
        {
            _history.Clear();
            _filterKey = key;
        }

        _problem = Status is null or "active" or "suspended" ? null : "status must be active or suspended.";
        var chips = new List<FilterChip>();
        if (Q is not null)
        {
            chips.Add(new FilterChip("q", "Name contains", Q));
        }

        if (Status is not null)
        {
            chips.Add(new FilterChip("status", "Status", Status));
        }

        _chips = chips;
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task<GridData<AgentRow>> LoadAsync(GridState<AgentRow> state, CancellationToken cancellationToken)
    {
        AgentStatus? status = Status switch { "active" => AgentStatus.Active, "suspended" => AgentStatus.Suspended, _ => null };
        var result = await AgentsAdmin.ListAsync(Dev, status, After, PageSize, Q, cancellationToken);
        if (!result.IsSuccess)
        {
            _problem = result.Error.Message;
            StateHasChanged();
            return new GridData<AgentRow> { Items = [], TotalItems = 0 };
        }

        _next = result.Value.NextCursor;
        StateHasChanged();
        return new GridData<AgentRow> { Items = result.Value.Items, TotalItems = result.Value.Items.Count };
    }

    private async Task ReloadAsync()
    {
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private void SetFilter(string key, string? value) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { [key] = string.IsNullOrWhiteSpace(value) ? null : value.Trim(), ["after"] = null }));

    private void RemoveFilter(string? key)
    {
        var keys = key is null ? ["q", "status"] : new[] { key };
        var parameters = keys.ToDictionary(k => k, _ => (object?)null);
        parameters["after"] = null;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
    }

    private void Older()
    {
        if (_next is not null)
        {
            _history.Push(After);
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("after", _next));
        }
    }

    private void Newer() => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("after", _history.Count > 0 ? _history.Pop() : null));

    private async Task CreateAsync()
    {
        if (await Actions.CreateAsync(Dev) is { } created)
        {
            Navigation.NavigateTo($"/agents/{created.Id}");
        }
    }

    private async Task EditAsync(Agent agent)
    {
        if (await Actions.EditAsync(agent) is not null)
        {
            await ReloadAsync();
        }
    }

    private async Task SuspendAsync(Agent agent)
    {
        if (await Actions.SuspendAsync(agent))
        {
            await ReloadAsync();
        }
    }

    private async Task ReactivateAsync(Agent agent)
    {
        if (await Actions.ReactivateAsync(agent))
        {
            await ReloadAsync();
        }
    }

    private async Task DeleteAsync(Agent agent)
    {
        if (await Actions.DeleteAsync(agent))
        {
            await ReloadAsync();
        }
    }

    public void Dispose() => _changes?.Dispose();
}
