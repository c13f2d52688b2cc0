using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Agents;
using Grantex.Console.Components.Shared;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Grantex.Console.Components.Pages.Grants;

public partial class Grants
{
    private readonly Stack<string?> _history = new();
    private MudDataGrid<GrantRow>? _grid;
    private GrantListQuery _query = new(null, null, null, null, null, null, null);
    private IReadOnlyList<FilterChip> _chips = [];
    private string? _problem;
    private string? _next;
    private int _shown;
    private bool _loading = true;
    private bool _canManage;
    private DateTime _now;
    private string? _agentName;
    private IReadOnlyList<GrantRow> _rows = [];
    private ChangeSubscription? _changes;
    private string? _lastFilterKey;

    [SupplyParameterFromQuery(Name = "dev")] public string? Dev { get; set; }
    [SupplyParameterFromQuery(Name = "agent")] public string? Agent { get; set; }
    [SupplyParameterFromQuery(Name = "principal")] public string? Principal { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    [SupplyParameterFromQuery(Name = "scope")] public string? Scope { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? From { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? To { get; set; }
    [SupplyParameterFromQuery(Name = "after")] public string? After { get; set; }
    [SupplyParameterFromQuery(Name = "size")] public int? PageSize { get; set; }

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private int RowsPerPage => PageSize is 10 or 25 or 50 or 100 ? PageSize.Value : 25;

    private DateRange? IssuedRange => _query.ToFilter().Filter is { } f && (f.IssuedFrom is not null || f.IssuedTo is not null)
        ? new DateRange(f.IssuedFrom, f.IssuedTo?.Date)
        : null;


    protected override async Task OnInitializedAsync()
    {
        _canManage = (await Access.CurrentAsync())?.Can(ConsolePermission.Manage) == true;
        _changes = new ChangeSubscription(Changes, RendererInfo,
            n => n.Kind is ChangeKind.GrantIssued or ChangeKind.GrantsRevoked or ChangeKind.AgentChanged && (Dev is null || n.DeveloperId == Dev),
            InvokeAsync, ReloadAsync);
    }

    protected override async Task OnParametersSetAsync()
    {
        _query = new GrantListQuery(Dev, Empty(Agent), Empty(Principal), Empty(Status), Empty(Scope), Empty(From), Empty(To));
        var filterKey = string.Join("|", _query, RowsPerPage);
        if (filterKey != _lastFilterKey)
        {
            _history.Clear();
            _lastFilterKey = filterKey;
        }

        _problem = _query.ToFilter().Problem;
        _agentName = null;
        if (_query.Agent is { } agentId && (await Agents.GetAsync(agentId)) is { IsSuccess: true } agent)
        {
            _agentName = agent.Value.Agent.Name;
        }

        _chips = Chips();
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task<GridData<GrantRow>> LoadAsync(GridState<GrantRow> state, CancellationToken cancellationToken)
    {
        _now = Time.GetUtcNow().UtcDateTime;
        var (filter, problem) = _query.ToFilter();
        if (filter is null)
        {
            _problem = problem;
            return new GridData<GrantRow> { Items = [], TotalItems = 0 };
        }

        _loading = true;
        var result = await GrantsAdmin.ListAsync(new GrantQuery(Dev, filter, After, RowsPerPage), cancellationToken);
        _loading = false;
        if (!result.IsSuccess)
        {
            _problem = result.Error.Message;
            StateHasChanged();
            return new GridData<GrantRow> { Items = [], TotalItems = 0 };
        }

        _rows = result.Value.Items;
        _next = result.Value.NextCursor;
        _shown = _rows.Count;
        StateHasChanged();
        return new GridData<GrantRow> { Items = _rows, TotalItems = _rows.Count };
    }

    private async Task ReloadAsync()
    {
        _problem = _query.ToFilter().Problem;
        StateHasChanged();
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task<IEnumerable<AgentRow>> SearchAgentsAsync(string? text, CancellationToken cancellationToken)
    {
        var result = await Agents.ListAsync(Dev, null, null, 20, text, cancellationToken);
        return result.IsSuccess ? result.Value.Items : [];
    }

    private void SetFilter(string key, string? value)
    {
        var parameters = new Dictionary<string, object?> { [key] = string.IsNullOrWhiteSpace(value) ? null : value.Trim(), ["after"] = null };
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
    }

    private void SetIssuedRange(DateRange? range)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["from"] = range?.Start is { } s ? GrantListQuery.Day(s) : null,
            ["to"] = range?.End is { } e ? GrantListQuery.Day(e) : null,
            ["after"] = null,
        }));
    }

    private void RemoveFilter(string? key)
    {
        var keys = key is null ? GrantListQuery.Keys.Where(k => k != "dev") : key == "issued" ? ["from", "to"] : [key];
        var parameters = keys.ToDictionary(k => k, _ => (object?)null);
        parameters["after"] = null;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
    }

    private void Older()
    {
        if (_next is null)
        {
            return;
        }

        _history.Push(After);
        _lastFilterKey = string.Join("|", _query, RowsPerPage);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("after", _next));
    }

    private Task NewerAsync()
    {
        var previous = _history.Count > 0 ? _history.Pop() : null;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("after", previous));
        return Task.CompletedTask;
    }

    private IReadOnlyList<FilterChip> Chips()
    {
        var chips = new List<FilterChip>();
        if (_query.Agent is { } a)
        {
            chips.Add(new FilterChip("agent", "Agent", _agentName is null ? a : $"{_agentName} ({a})"));
        }

        if (_query.Principal is { } p)
        {
            chips.Add(new FilterChip("principal", "Principal", p));
        }

        if (_query.Status is { } s)
        {
            chips.Add(new FilterChip("status", "Status", s));
        }

        if (_query.Scope is { } sc)
        {
            chips.Add(new FilterChip("scope", "Scope", sc));
        }

        if (_query.From is not null || _query.To is not null)
        {
            chips.Add(new FilterChip("issued", "Issued", $"{_query.From ?? "…"} to {_query.To ?? "…"} (UTC)"));
        }

        return chips;
    }

    private async Task RevokeGrantAsync(Grant grant)
    {
        if (await Revocation.RevokeAsync(new RevocationTarget(RevocationScope.Grant, grant.DeveloperId, grant.Id)) is not null)
        {
            await ReloadAsync();
        }
    }

    private async Task RevokePrincipalAsync(string developerId)
    {
        if (await Revocation.RevokeAsync(new RevocationTarget(RevocationScope.Principal, developerId, Principal!)) is not null)
        {
            await ReloadAsync();
        }
    }

    private async Task RevokePrincipalEverywhereAsync()
    {
        if (await Revocation.RevokePrincipalEverywhereAsync(Principal!) is not null)
        {
            await ReloadAsync();
        }
    }

    /// <summary>A real link (keyboard, new tab) to this list filtered by the grant's principal within its developer.</summary>
    private string PrincipalHref(Grant grant) => Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
    {
        ["principal"] = grant.PrincipalId,
        ["dev"] = grant.DeveloperId,
        ["after"] = null,
    });

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public void Dispose() => _changes?.Dispose();
}
