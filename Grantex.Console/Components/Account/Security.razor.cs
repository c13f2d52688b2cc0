using System.Buffers.Text;
using System.Security.Claims;
using Grantex.Core.Audit;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Grantex.Console.Components.Account;

public partial class Security
{
    private GrantexUser? _user;
    private IList<UserPasskeyInfo> _passkeys = [];
    private bool _hasPassword;
    private string? _message;
    private bool _failed;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromQuery]
    private string? First { get; set; }

    [SupplyParameterFromForm(FormName = "add-passkey")]
    private AddModel AddInput { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "remove")]
    private RemoveModel RemoveInput { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "password")]
    private PasswordModel PasswordInput { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        AddInput ??= new();
        RemoveInput ??= new();
        PasswordInput ??= new();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _user = await Users.GetUserAsync(HttpContext.User);
        if (_user is null)
        {
            Navigation.NavigateTo(ConsolePaths.Login);
            return;
        }

        _passkeys = await Users.GetPasskeysAsync(_user);
        _hasPassword = await Users.HasPasswordAsync(_user);
    }

    private async Task AddPasskeyAsync()
    {
        if (_user is null || string.IsNullOrEmpty(AddInput.CredentialJson))
        {
            Fail("Use the \"Add a passkey\" button: your browser makes the passkey.");
            return;
        }

        var attestation = await SignIn.PerformPasskeyAttestationAsync(AddInput.CredentialJson);
        if (!attestation.Succeeded || attestation.UserEntity.Id != _user.Id)
        {
            Fail("The passkey could not be registered: " + (attestation.Failure?.Message ?? "it was made for another account."));
            return;
        }

        attestation.Passkey.Name = string.IsNullOrWhiteSpace(AddInput.Name) ? "Passkey" : AddInput.Name.Trim()[..Math.Min(AddInput.Name.Trim().Length, 100)];
        var added = await Users.AddOrUpdatePasskeyAsync(_user, attestation.Passkey);
        if (!added.Succeeded)
        {
            Fail(ConsoleAccounts.Describe(added));
            return;
        }

        await EndOtherSessionsAsync();
        await AuditAsync(AuditActions.ConsolePasskeyAdded, attestation.Passkey.Name);
        _message = $"Passkey \"{attestation.Passkey.Name}\" added. Next time, sign in with it.";
        await LoadAsync();
    }

    private async Task RemoveAsync()
    {
        if (_user is null || string.IsNullOrEmpty(RemoveInput.CredentialId))
        {
            return;
        }

        byte[] id;
        try
        {
            id = Base64Url.DecodeFromChars(RemoveInput.CredentialId);
        }
        catch (FormatException)
        {
            Fail("That passkey is not known.");
            return;
        }

        var logins = await Users.GetLoginsAsync(_user);
        if (_passkeys.Count == 1 && !_hasPassword && logins.Count == 0)
        {
            Fail("This passkey is your only way to sign in. Set a password or add another passkey first.");
            return;
        }

        var removed = await Users.RemovePasskeyAsync(_user, id);
        if (!removed.Succeeded)
        {
            Fail(ConsoleAccounts.Describe(removed));
            return;
        }

        await EndOtherSessionsAsync();
        await AuditAsync(AuditActions.ConsolePasskeyRemoved, null);
        _message = "Passkey removed.";
        await LoadAsync();
    }

    private async Task ChangePasswordAsync()
    {
        if (_user is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(PasswordInput.New) || PasswordInput.New != PasswordInput.Confirm)
        {
            Fail("Enter the new password twice, the same both times.");
            return;
        }

        var result = _hasPassword
            ? await Users.ChangePasswordAsync(_user, PasswordInput.Current ?? "", PasswordInput.New)
            : await Users.AddPasswordAsync(_user, PasswordInput.New);
        if (!result.Succeeded)
        {
            Fail(ConsoleAccounts.Describe(result));
            return;
        }

        await EndOtherSessionsAsync();
        await AuditAsync(_hasPassword ? AuditActions.ConsolePasswordChanged : AuditActions.ConsolePasswordSet, null);
        _message = "Password saved.";
        PasswordInput = new();
        await LoadAsync();
    }

    /// <summary>
    /// A new password or passkey ends every other session of the account: a new security stamp, a fresh cookie for this
    /// browser, this request's authentication state moved to it, and only then open circuits told to re-check (so this
    /// page is not signed out by its own change).
    /// </summary>
    private async Task EndOtherSessionsAsync()
    {
        var method = HttpContext.User.FindFirstValue(ClaimTypes.AuthenticationMethod);
        await Users.UpdateSecurityStampAsync(_user!);
        // Not RefreshSignInAsync: it authenticates the current cookie first, which the new stamp now refuses.
        await SignIn.SignInAsync(_user!, isPersistent: false, authenticationMethod: method);
        if (AuthenticationState is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(await SignIn.CreateUserPrincipalAsync(_user!))));
        }

        Accounts.AnnounceSessionsEnded(_user!);
    }

    private void Fail(string message)
    {
        _failed = true;
        _message = message;
    }

    private Task AuditAsync(AuditAction action, string? passkeyName) =>
        AuditLog.AppendConsoleAsync(action, AuditMetadata.With("passkey", passkeyName).And("userName", _user!.UserName),
            "console:" + _user.UserName, HttpContext.RequestAborted);

    private sealed class AddModel
    {
        public string? Name { get; set; }

        public string? CredentialJson { get; set; }
    }

    private sealed class RemoveModel
    {
        public string? CredentialId { get; set; }
    }

    private sealed class PasswordModel
    {
        public string? Current { get; set; }

        public string? New { get; set; }

        public string? Confirm { get; set; }
    }
}
