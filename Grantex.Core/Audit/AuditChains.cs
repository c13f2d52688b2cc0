namespace Grantex.Core.Audit;

/// <summary>
/// Every developer has its own chain (keyed by developer id). Operator actions that belong to no developer — console
/// accounts and roles, sign-ins, signing-key rotation, refused console actions — go to one more chain of their own,
/// keyed <see cref="Console"/> (never a developer id: those are "dev_" plus a ULID), verified the same way.
/// </summary>
public static class AuditChains
{
    public const string Console = "console";
}
