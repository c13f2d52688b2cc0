namespace Grantex.Core.Grants;

public enum GrantStatus
{
    Active,
    Revoked,
}
