namespace Grantex.Console.Components.Account;

/// <summary>What a console action needs. Every Admin service method names one and checks it on the server.</summary>
public enum ConsolePermission
{
    /// <summary>See any screen: administrators, compliance officers, viewers.</summary>
    Read,

    /// <summary>Run audit-chain verification and exports: administrators and compliance officers.</summary>
    Verify,

    /// <summary>Change anything (revoke, create, edit, rotate, accounts): administrators only.</summary>
    Manage,
}
