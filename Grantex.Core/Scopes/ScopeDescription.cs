namespace Grantex.Core.Scopes;

/// <summary>What a scope lets an agent do, in plain words. <see cref="Known"/> is false for scopes nobody described.</summary>
public sealed record ScopeDescription(string Scope, string Text, string Category, ScopeRisk Risk, bool Known)
{
    public bool IsHighRisk => Risk == ScopeRisk.High;
}
