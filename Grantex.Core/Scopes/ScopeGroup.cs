namespace Grantex.Core.Scopes;

/// <summary>Requested scopes of one category ("Email", "Payments"), as the consent screen lists them.</summary>
public sealed record ScopeGroup(string Category, IReadOnlyList<ScopeDescription> Scopes)
{
    public bool HasHighRisk => Scopes.Any(s => s.IsHighRisk);
}
