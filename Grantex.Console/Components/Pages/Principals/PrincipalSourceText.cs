using Grantex.Core.Principals;

namespace Grantex.Console.Components.Pages.Principals;

/// <summary>Words for where a principal is known from and its directory state.</summary>
public static class PrincipalSourceText
{
    public static string Source(PrincipalSource source) => source switch
    {
        PrincipalSource.Scim | PrincipalSource.Grants => "SCIM · seen in grants",
        PrincipalSource.Scim => "SCIM",
        _ => "Seen in grants",
    };

    public static string State(PrincipalEntry entry) => entry.ScimUser switch
    {
        null => "Not in the directory",
        { DeletedAt: not null } => "Deleted (blocked)",
        { Active: false } => "Deactivated (blocked)",
        _ => "Active",
    };
}
