using Grantex.Core.Audit;

namespace Grantex.Console.Components.Account;

/// <summary>Sign-ins, failed sign-ins and refusals, on the console's audit chain (who, how, from where).</summary>
public sealed class ConsoleSignInAudit(AuditService audit)
{
    public Task SignedInAsync(HttpContext context, string userName, string method) =>
        AppendAsync(context, AuditActions.ConsoleSignedIn, userName, method, null);

    public Task FailedAsync(HttpContext context, string? userName, string method, string reason) =>
        AppendAsync(context, AuditActions.ConsoleSignInFailed, userName, method, reason);

    public Task AccountCreatedAsync(HttpContext context, string userName, string role, string method) =>
        audit.AppendConsoleAsync(AuditActions.ConsoleUserCreated, AuditMetadata.With("method", method).And("role", role).And("userName", userName),
            "console:" + userName, context.RequestAborted);

    /// <summary>A first-administrator attempt without the right set-up code (never the code that was typed).</summary>
    public Task SetupRefusedAsync(HttpContext context, string step) =>
        audit.AppendConsoleAsync(AuditActions.ConsoleSetupRefused, AuditMetadata
            .With("remoteIp", context.Connection.RemoteIpAddress?.ToString())
            .And("step", step), "console:anonymous", context.RequestAborted);

    private Task AppendAsync(HttpContext context, AuditAction action, string? userName, string method, string? reason)
    {
        // The user name of a failed sign-in is whatever was typed: cut to the longest real one, so a huge form field
        // cannot bloat the chain (or exceed the entry's size).
        var name = string.IsNullOrEmpty(userName) ? null : userName[..Math.Min(userName.Length, 64)];
        return audit.AppendConsoleAsync(action, AuditMetadata
            .With("method", method)
            .AndBounded("reason", reason, 200)
            .And("remoteIp", context.Connection.RemoteIpAddress?.ToString())
            .And("userName", name), "console:" + (name ?? "anonymous"), context.RequestAborted);
    }
}
