using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared.Dialogs;
using Grantex.Core.Webhooks;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Grantex.Console.Components.Pages.Webhooks;

/// <summary>
/// A developer's webhooks: every role sees them and their deliveries (with each attempt); administrators create
/// (the secret shown once), delete, rotate the secret (the new one shown once), send test events and redeliver.
/// </summary>
public partial class Webhooks
{
    private static readonly DialogOptions FormOptions = new() { CloseOnEscapeKey = true, BackdropClick = false, MaxWidth = MaxWidth.Small, FullWidth = true };
    private IReadOnlyList<Webhook>? _webhooks;
    private string? _problem;
    private bool _canManage;
    private string? _loadedFor;
    private string? _selected;
    private int _version;

    [Inject] private WebhookAdmin Admin { get; set; } = default!;

    [Inject] private OperatorAccess Access { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "dev")] public string? Dev { get; set; }

    protected override async Task OnInitializedAsync() =>
        _canManage = (await Access.CurrentAsync())?.Can(ConsolePermission.Manage) == true;

    protected override async Task OnParametersSetAsync()
    {
        if (Dev != _loadedFor)
        {
            _loadedFor = Dev;
            _selected = null;
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        if (Dev is null)
        {
            _webhooks = null;
            return;
        }

        var result = await Admin.ListAsync(Dev);
        _problem = result.IsSuccess ? null : result.Error.Message;
        _webhooks = result.IsSuccess ? result.Value : null;
        if (_selected is not null && _webhooks?.Any(w => w.Id == _selected) != true)
        {
            _selected = null;
        }
    }

    private void SelectDeveloper(string? developerId) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("dev", developerId));

    private void Select(Webhook webhook) => _selected = webhook.Id;

    private async Task CreateAsync()
    {
        var parameters = new DialogParameters<WebhookCreateDialog> { { d => d.DeveloperId, Dev! } };
        var dialog = await Dialogs.ShowAsync<WebhookCreateDialog>("Create a webhook", parameters, FormOptions);
        if (await dialog.Result is { Canceled: false, Data: WebhookWithSecret created })
        {
            await LoadAsync();
            _selected = created.Webhook.Id;
            await ShowSecretAsync($"Webhook {created.Webhook.Id} created: its signing secret", created.Secret);
        }
    }

    private async Task RotateAsync(Webhook webhook)
    {
        if (!await Dialogs.ConfirmAsync($"Rotate the signing secret of webhook {webhook.Id}", "Rotate secret",
                ["Deliveries are signed with a new secret from now on.",
                 "The current secret keeps signing in the X-Grantex-Signature-Previous headers for the overlap period, then stops."],
                color: MudBlazor.Color.Warning))
        {
            return;
        }

        var result = await Admin.RotateSecretAsync(Dev!, webhook.Id);
        if (!result.IsSuccess)
        {
            Snackbar.Add(result.Error.Message, Severity.Error);
            return;
        }

        await ShowSecretAsync($"New signing secret for webhook {webhook.Id}", result.Value.Secret);
    }

    private async Task SendTestAsync(Webhook webhook)
    {
        var result = await Admin.SendTestAsync(Dev!, webhook.Id);
        Snackbar.Add(result.IsSuccess ? $"Test event {result.Value.EventId} queued for {webhook.Url}." : result.Error.Message, result.IsSuccess ? Severity.Success : Severity.Error);
        _selected = webhook.Id;
        _version++;
    }

    private async Task DeleteAsync(Webhook webhook)
    {
        if (!await Dialogs.ConfirmAsync($"Delete webhook {webhook.Id}", "Delete webhook",
                [$"{webhook.Url} receives no more events.", "Its queued deliveries stop and its delivery history is deleted."]))
        {
            return;
        }

        var result = await Admin.DeleteAsync(Dev!, webhook.Id);
        Snackbar.Add(result.IsSuccess ? $"Webhook {webhook.Id} deleted." : result.Error.Message, result.IsSuccess ? Severity.Success : Severity.Error);
        await LoadAsync();
    }

    private Task ShowSecretAsync(string title, string secret) => Dialogs.ShowSecretAsync(title, secret,
        note: "Verify each delivery: X-Grantex-Signature-V2 = sha256=hex(HMAC-SHA256(secret, \"<X-Grantex-Timestamp>.\" + body)).",
        warning: "This secret is shown once. Grantex keeps it encrypted to sign deliveries and never displays it again: copy it now into the receiver's configuration.",
        confirmText: "I have stored the secret");
}
