namespace Grantex.Core.Policies;

/// <summary>A would-be authorization or delegation as policies see it: who, for whom, what, and when (UTC).</summary>
public sealed record PolicyRequest(string AgentId, string PrincipalId, IReadOnlyList<string> Scopes, DateTime At);
