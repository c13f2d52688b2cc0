namespace Grantex.Console.Components.Account;

/// <summary>The person acting in the console, as the database knows them right now (roles re-read for every action).</summary>
public sealed record ConsoleOperator(string UserId, string UserName, string? DisplayName, IReadOnlySet<string> Roles)
{
    /// <summary>Recorded as the actor of audit entries and as <c>RevokedBy</c>: "console:alice".</summary>
    public string Actor => "console:" + UserName;

    public string Name => string.IsNullOrWhiteSpace(DisplayName) ? UserName : DisplayName;

    public bool Can(ConsolePermission permission) => ConsolePolicies.RolesFor(permission).Any(Roles.Contains);

    /// <summary>The strongest role, for display ("Administrator", "Compliance officer", "Viewer").</summary>
    public string RoleName => ConsoleRoles.All.FirstOrDefault(Roles.Contains) is { } role ? ConsoleRoles.DisplayName(role) : "No role";
}
