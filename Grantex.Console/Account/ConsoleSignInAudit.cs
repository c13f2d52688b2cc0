using Grantex.Console.Admin;
using Grantex.Core.Audit;

namespace Grantex.Console.Account;

/// <summary>Sign-ins, failed sign-ins and refusals, on the console's audit chain (who, how, from where).</summary>
public sealed class ConsoleSignInAudit(AuditService audit)
{
    public Task SignedInAsync(HttpContext context, string userName, string method) =>
        AppendAsync(context, "console.signed_in", AuditDraft.Success, userName, method, null);

    public Task FailedAsync(HttpContext context, string? userName, string method, string reason) =>
        AppendAsync(context, "console.sign_in_failed", AuditDraft.Failure, userName, method, reason);

    public Task AccountCreatedAsync(HttpContext context, string userName, string role, string method) =>
        audit.AppendConsoleAsync("console.user_created", OperatorAccess.Canonical(new()
        {
            ["method"] = method,
            ["role"] = role,
            ["userName"] = userName,
        }), AuditDraft.Success, "console:" + userName, context.RequestAborted);

    private Task AppendAsync(HttpContext context, string action, string status, string? userName, string method, string? reason)
    {
        // The user name of a failed sign-in is whatever was typed: cut to the longest real one, so a huge form field
        // cannot bloat the chain (or exceed the entry's size).
        var name = string.IsNullOrEmpty(userName) ? null : userName[..Math.Min(userName.Length, 64)];
        return audit.AppendConsoleAsync(action, OperatorAccess.Canonical(new()
        {
            ["method"] = method,
            ["reason"] = reason is null ? null : reason[..Math.Min(reason.Length, 200)],
            ["remoteIp"] = context.Connection.RemoteIpAddress?.ToString(),
            ["userName"] = name,
        }), status, "console:" + (name ?? "anonymous"), context.RequestAborted);
    }
}
