using Grantex.Testing;

namespace Grantex.Browser.Tests.Console;

/// <summary>A second Grantex on Kestrel with its own SQLite file, its console sign-in pointed at the in-test provider.</summary>
internal static class OidcConsoleApp
{
    public static GrantexApp Create(string authority) => GrantexApp.With(new GrantexAppOptions
    {
        Kestrel = true,
        Settings = new Dictionary<string, string?>
        {
            ["Grantex:Console:Oidc:Enabled"] = "true",
            ["Grantex:Console:Oidc:DisplayName"] = "Example SSO",
            ["Grantex:Console:Oidc:Authority"] = authority,
            ["Grantex:Console:Oidc:ClientId"] = OidcProvider.ClientId,
            ["Grantex:Console:Oidc:ClientSecret"] = OidcProvider.ClientSecret,
            ["Grantex:Console:Oidc:RequireHttpsMetadata"] = "false",
            ["Grantex:Console:Oidc:RoleClaim"] = "roles",
            ["Grantex:Console:Oidc:RoleMap:grantex-auditors"] = "ComplianceOfficer",
            ["Grantex:Console:Oidc:RoleMap:grantex-admins"] = "Administrator",
        },
    });
}
