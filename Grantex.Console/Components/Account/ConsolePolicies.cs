using Microsoft.AspNetCore.Authorization;

namespace Grantex.Console.Components.Account;

/// <summary>Authorization policies for console pages (the same rules <see cref="OperatorAccess"/> applies to every action).</summary>
public static class ConsolePolicies
{
    public const string Read = "console.read";
    public const string Verify = "console.verify";
    public const string Manage = "console.manage";

    public static IReadOnlyList<string> RolesFor(ConsolePermission permission) => permission switch
    {
        ConsolePermission.Read => ConsoleRoles.All,
        ConsolePermission.Verify => [ConsoleRoles.Administrator, ConsoleRoles.ComplianceOfficer],
        _ => [ConsoleRoles.Administrator],
    };

    public static AuthorizationBuilder AddConsolePolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Read, p => p.RequireRole(RolesFor(ConsolePermission.Read)))
        .AddPolicy(Verify, p => p.RequireRole(RolesFor(ConsolePermission.Verify)))
        .AddPolicy(Manage, p => p.RequireRole(RolesFor(ConsolePermission.Manage)));
}
