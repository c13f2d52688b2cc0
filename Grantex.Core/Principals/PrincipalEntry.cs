namespace Grantex.Core.Principals;

/// <summary>Where the directory knows a principal from.</summary>
[Flags]
public enum PrincipalSource
{
    None = 0,

    /// <summary>Provisioned by the developer's identity provider over SCIM.</summary>
    Scim = 1,

    /// <summary>Named as <c>principalId</c> in at least one grant.</summary>
    Grants = 2,
}

/// <summary>
/// One principal of a developer as the console lists it: where it is known from, its SCIM user (if any) and its grants.
/// </summary>
public sealed record PrincipalEntry(
    string PrincipalId,
    PrincipalSource Source,
    ScimUser? ScimUser,
    int ActiveGrants,
    int TotalGrants,
    DateTime? LastGrantAt)
{
    /// <summary>New grants for this principal are refused (the SCIM user is inactive or deleted).</summary>
    public bool Blocked => ScimUser?.BlocksPrincipal == true;
}
