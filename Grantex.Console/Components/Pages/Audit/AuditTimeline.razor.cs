using System.Globalization;
using Grantex.Console.Components.Shared;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Grantex.Console.Components.Pages.Audit;

public partial class AuditTimeline
{
    private static readonly string[] FilterKeys = ["agent", "grant", "principal", "action", "status", "since", "until"];
    private readonly Stack<string?> _history = new();
    private Page<AuditEntry>? _page;
    private AuditNameBook _book = AuditNameBook.Empty;
    private IReadOnlyList<FilterChip> _chips = [];
    private DateRange? _range;
    private string? _problem;
    private string? _filterKey;
    private ChainBadge? _badge;
    private ChangeSubscription? _changes;

    [SupplyParameterFromQuery(Name = "dev")] public string? Dev { get; set; }
    [SupplyParameterFromQuery(Name = "agent")] public string? Agent { get; set; }
    [SupplyParameterFromQuery(Name = "grant")] public string? Grant { get; set; }
    [SupplyParameterFromQuery(Name = "principal")] public string? Principal { get; set; }
    [SupplyParameterFromQuery(Name = "action")] public string? Action { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    [SupplyParameterFromQuery(Name = "since")] public string? Since { get; set; }
    [SupplyParameterFromQuery(Name = "until")] public string? Until { get; set; }
    [SupplyParameterFromQuery(Name = "after")] public string? After { get; set; }

    protected override void OnInitialized() =>
        _changes = new ChangeSubscription(Changes, RendererInfo, n => After is null && (Dev is null || n.DeveloperId == Dev), InvokeAsync, LoadAsync);

    protected override async Task OnParametersSetAsync()
    {
        var key = string.Join("|", Dev, Agent, Grant, Principal, Action, Status, Since, Until);
        if (key != _filterKey)
        {
            _history.Clear();
            _filterKey = key;
        }

        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var chips = new List<FilterChip>();
        void Chip(string k, string label, string? v)
        {
            if (!string.IsNullOrEmpty(v))
            {
                chips.Add(new FilterChip(k, label, v));
            }
        }

        Chip("action", "Action", Action);
        Chip("status", "Status", Status);
        Chip("agent", "Agent", Agent);
        Chip("principal", "Principal", Principal);
        Chip("grant", "Grant", Grant);
        Chip("since", "Since", Since);
        Chip("until", "Until", Until);
        _chips = chips;

        DateTime? since = null, until = null;
        if (Since is not null)
        {
            since = Day(Since);
        }

        if (Until is not null)
        {
            until = Day(Until)?.AddDays(1).AddMilliseconds(-1);
        }

        if ((Since is not null && since is null) || (Until is not null && until is null))
        {
            _problem = "since and until must be dates (yyyy-MM-dd).";
            StateHasChanged();
            return;
        }

        _range = since is null && until is null ? null : new DateRange(since, until?.Date);
        var filter = new AuditFilter(Empty(Agent), Empty(Grant), Empty(Principal), Empty(Action), Empty(Status), since, until);
        var result = await AuditAdmin.ListAsync(new AuditQuery(Dev, filter, After, 50));
        _problem = result.IsSuccess ? null : result.Error.Message;
        _page = result.IsSuccess ? result.Value : null;
        if (_page is not null)
        {
            _book = await Names.ForAsync(_page.Items);
        }

        StateHasChanged();
    }

    private void SetFilter(string key, string? value) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { [key] = string.IsNullOrWhiteSpace(value) ? null : value.Trim(), ["after"] = null }));

    private void SetRange(DateRange? range) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["since"] = range?.Start?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["until"] = range?.End?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["after"] = null,
        }));

    private void RemoveFilter(string? key)
    {
        var parameters = (key is null ? FilterKeys : [key]).ToDictionary(k => k, _ => (object?)null);
        parameters["after"] = null;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
    }

    private void Older()
    {
        if (_page?.NextCursor is { } next)
        {
            _history.Push(After);
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("after", next));
        }
    }

    private void Newer() => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("after", _history.Count > 0 ? _history.Pop() : null));

    private static DateTime? Day(string text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : null;

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public void Dispose() => _changes?.Dispose();
}
