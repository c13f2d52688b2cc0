using System.Globalization;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Core.Principals;
using Microsoft.AspNetCore.Components;

namespace Grantex.Console.Components.Pages.Principals;

/// <summary>
/// The principal directory of one developer: SCIM users and principals seen in grants, searchable and paged (both in the
/// query string), the selected principal's detail (<see cref="PrincipalDetail"/>) and "revoke all" through the shared
/// revocation dialog, which names the count. Live: a SCIM change or a revocation reloads the list.
/// </summary>
public partial class Principals
{
    private PrincipalDirectoryPage? _page;
    private string? _problem;
    private bool _canManage;
    private string? _loadedFor;
    private ChangeSubscription? _changes;

    [Inject] private PrincipalAdmin Admin { get; set; } = default!;

    [Inject] private OperatorAccess Access { get; set; } = default!;

    [Inject] private ChangeNotifier Changes { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private RevocationFlow Revocation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "dev")] public string? Dev { get; set; }

    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }

    [SupplyParameterFromQuery(Name = "page")] public int? PageNumber { get; set; }

    [SupplyParameterFromQuery(Name = "principal")] public string? Principal { get; set; }

    private int CurrentPage => Math.Max(1, PageNumber ?? 1);

    private PrincipalEntry? Selected => Principal is null ? null : _page?.Items.FirstOrDefault(e => e.PrincipalId == Principal);

    private string Range
    {
        get
        {
            var first = ((CurrentPage - 1) * PrincipalAdmin.PageSize) + 1;
            var last = Math.Min(_page!.Total, CurrentPage * PrincipalAdmin.PageSize);
            return string.Create(CultureInfo.InvariantCulture, $"{first}–{last} of {_page.Total}");
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _canManage = (await Access.CurrentAsync())?.Can(ConsolePermission.Manage) == true;
        _changes = new ChangeSubscription(Changes, RendererInfo,
            n => n.DeveloperId == Dev && n.Kind is ChangeKind.PrincipalChanged or ChangeKind.GrantsRevoked or ChangeKind.GrantIssued,
            InvokeAsync, LoadAsync);
    }

    protected override async Task OnParametersSetAsync()
    {
        var key = $"{Dev}|{Q}|{CurrentPage}";
        if (key != _loadedFor)
        {
            _loadedFor = key;
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        if (Dev is null)
        {
            _page = null;
            return;
        }

        var result = await Admin.ListAsync(Dev, Q, CurrentPage);
        _problem = result.IsSuccess ? null : result.Error.Message;
        _page = result.IsSuccess ? result.Value : null;
        StateHasChanged();
    }

    private void SelectDeveloper(string? developerId) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["dev"] = developerId, ["q"] = null, ["page"] = null, ["principal"] = null }));

    private void Search(string? text) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["q"] = string.IsNullOrWhiteSpace(text) ? null : text.Trim(),
            ["page"] = null,
            ["principal"] = null,
        }));

    private void GoToPage(int page) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["page"] = page <= 1 ? null : page, ["principal"] = null }));

    private void Select(PrincipalEntry entry) => Navigation.NavigateTo(SelectLink(entry));

    private string SelectLink(PrincipalEntry entry) => Navigation.GetUriWithQueryParameter("principal", entry.PrincipalId);

    private string RowClass(PrincipalEntry entry, int index) => entry.PrincipalId == Principal ? "gx-row-selected" : "";

    private async Task RevokeAllAsync(PrincipalEntry entry)
    {
        if (await Revocation.RevokeAsync(new RevocationTarget(RevocationScope.Principal, Dev!, entry.PrincipalId), entry.PrincipalId) is not null)
        {
            await LoadAsync();
        }
    }

    public void Dispose() => _changes?.Dispose();
}
