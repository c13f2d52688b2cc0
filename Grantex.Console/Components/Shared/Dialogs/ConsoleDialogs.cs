using Grantex.Core.Grants;
using MudBlazor;

namespace Grantex.Console.Components.Shared.Dialogs;

/// <summary>
/// Opens the console's dialogs with the same options: Esc closes, a click beside the dialog does not, and focus starts on
/// Cancel in the confirmation dialogs (they focus it themselves once the dialog has settled).
/// </summary>
public static class ConsoleDialogs
{
    private static readonly DialogOptions Options = new()
    {
        CloseOnEscapeKey = true,
        BackdropClick = false,
        MaxWidth = MaxWidth.Medium,
        FullWidth = true,
        DefaultFocus = DefaultFocus.Element,
    };

    /// <summary>Shows the revocation dialog; true when the person confirmed. <paramref name="developers"/> names them when one
    /// principal id is revoked under several developers.</summary>
    public static async Task<bool> ConfirmRevocationAsync(
        this IDialogService dialogs, RevocationPreview preview, IReadOnlyDictionary<string, string> agentNames, string? subjectName = null,
        IReadOnlyList<(string Name, int Grants)>? developers = null)
    {
        var parameters = new DialogParameters<RevokeDialog>
        {
            { d => d.Preview, preview },
            { d => d.AgentNames, agentNames },
            { d => d.SubjectName, subjectName },
            { d => d.Developers, developers },
        };
        var dialog = await dialogs.ShowAsync<RevokeDialog>(RevocationText.Title(preview, subjectName, developers), parameters, Options);
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    public static async Task<bool> ConfirmAsync(
        this IDialogService dialogs, string title, string confirmText, IReadOnlyList<string> consequences, string? intro = null, Color color = Color.Error)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, title },
            { d => d.ConfirmText, confirmText },
            { d => d.Consequences, consequences },
            { d => d.Intro, intro },
            { d => d.ConfirmColor, color },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, Options);
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    public static async Task ShowSecretAsync(
        this IDialogService dialogs, string title, string secret, string? note = null, string? warning = null, string confirmText = "I have stored the key")
    {
        var parameters = new DialogParameters<SecretDialog>
        {
            { d => d.Title, title }, { d => d.Secret, secret }, { d => d.Note, note }, { d => d.Warning, warning }, { d => d.ConfirmText, confirmText },
        };
        var dialog = await dialogs.ShowAsync<SecretDialog>(title, parameters, Options);
        await dialog.Result;
    }
}
