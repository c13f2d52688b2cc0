namespace Grantex.Console.Components.Account;

/// <summary>The console's roles (ASP.NET Core Identity role names).</summary>
public static class ConsoleRoles
{
    /// <summary>Everything: revoke, create and change agents, developers, keys and accounts.</summary>
    public const string Administrator = "Administrator";

    /// <summary>Reads everything, verifies the audit chain and exports; changes nothing.</summary>
    public const string ComplianceOfficer = "ComplianceOfficer";

    /// <summary>Reads everything.</summary>
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Administrator, ComplianceOfficer, Viewer];

    public static string DisplayName(string role) => role switch
    {
        ComplianceOfficer => "Compliance officer",
        _ => role,
    };

    /// <summary>The console role with a case-insensitive name match, or null.</summary>
    public static string? Parse(string? value) =>
        All.FirstOrDefault(r => string.Equals(r, value?.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
}
