namespace Grantex.Core.Passkeys;

public enum PasskeyCeremonyKind
{
    Registration,
    Assertion,
}
