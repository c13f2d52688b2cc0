namespace Grantex.Core.Scopes;

public enum ScopeRisk
{
    Low,
    Medium,
    High,
}
